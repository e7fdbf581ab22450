import type { Row, Step, Walkthrough } from './walkthrough-log'

/**
 * Renders the walkthrough as text only (textContent, never innerHTML: values come from servers)
 * and with classes from walkthrough.css only, so it runs under a strict CSP.
 */

const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

function rowsList(rows: Row[]): HTMLDListElement {
  const dl = el('dl', 'step-rows')
  for (const [label, value] of rows) {
    dl.append(el('dt', undefined, label), el('dd', undefined, value))
  }
  return dl
}

const okOutcome = (outcome: string) => /^[23]\d\d\b/.test(outcome)

function stepItem(step: Step): HTMLLIElement {
  const li = el('li', `step step-${step.kind}`)
  li.dataset.kind = step.kind
  const head = el('div', 'step-head')
  const at = el('time', 'step-time', new Date(step.at).toLocaleTimeString([], { hour12: false }))
  at.dateTime = new Date(step.at).toISOString()
  head.append(at, el('span', 'step-title', step.title))
  if (step.outcome) {
    const tone = okOutcome(step.outcome)
      ? 'outcome-ok'
      : /^\d{3}\b/.test(step.outcome)
        ? 'outcome-bad'
        : ''
    head.append(el('span', `step-outcome ${tone}`.trim(), step.outcome))
  }
  li.append(head)
  if (step.rows.length) li.append(rowsList(step.rows))
  for (const claims of step.claims ?? []) {
    // <details>: open or closed without script, so nothing here needs an inline handler
    const box = el('details', 'step-claims')
    box.open = claims.open ?? false
    box.append(el('summary', 'step-claims-title', claims.title), rowsList(claims.rows))
    li.append(box)
  }
  return li
}

export interface PanelOptions {
  dpop: boolean
  /** Switching modes is offered only while logged out: a DPoP-bound session needs its key. */
  canSwitch: () => boolean
  /** Reloads the page in the other mode. */
  switchDpop: (on: boolean) => void
  onStateChange: (listener: () => void) => void
}

export function mountWalkthrough(root: HTMLElement, log: Walkthrough, options: PanelOptions) {
  const list = root.querySelector<HTMLOListElement>('#walkthrough-steps')!
  const mode = root.querySelector<HTMLElement>('#walkthrough-mode')!
  const toggle = root.querySelector<HTMLButtonElement>('#toggle-dpop')!
  const clear = root.querySelector<HTMLButtonElement>('#walkthrough-clear')!

  mode.textContent = options.dpop ? 'DPoP-bound tokens' : 'Bearer tokens'
  toggle.textContent = options.dpop ? 'Switch to Bearer' : 'Switch to DPoP'
  toggle.onclick = () => options.switchDpop(!options.dpop)
  const syncToggle = () => {
    toggle.disabled = !options.canSwitch()
    toggle.title = toggle.disabled ? 'Log out first: the session is bound to this mode' : ''
  }
  options.onStateChange(syncToggle)
  syncToggle()
  clear.onclick = () => log.clear()

  const render = () => {
    const steps = log.steps()
    list.replaceChildren(...steps.map(stepItem))
    if (!steps.length) list.append(el('li', 'step-empty', 'Nothing yet: log in to see each step.'))
  }
  log.subscribe(render)
  render()
}
