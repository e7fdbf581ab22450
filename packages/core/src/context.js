/** The iframe attribute that tells an app loaded in it to leave the response alone. */
export const SILENT_FRAME = 'data-oauth-spa-silent'
/** The name of the login popup: the app loaded in it leaves the response to its opener. */
export const LOGIN_POPUP = 'oauth-spa-login'
/** Starts the `state` of a popup login (not base64url, so never the start of another state). */
export const POPUP_STATE = 'p.'
//# sourceMappingURL=context.js.map
