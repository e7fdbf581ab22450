export const internals = new WeakMap()
//# sourceMappingURL=internals.js.map
