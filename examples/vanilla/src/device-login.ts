import type { AuthClient, DeviceLogin } from '@oauth-spa/core'
import { encode } from 'uqr'

const SVG = 'http://www.w3.org/2000/svg'

/**
 * A QR code of `text` as SVG, built with createElementNS from uqr's module matrix: nothing from
 * the server is parsed as markup.
 */
export function qrCode(text: string, moduleSize = 4): SVGSVGElement {
  const { size, data } = encode(text, { border: 2 })
  const svg = document.createElementNS(SVG, 'svg')
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`)
  svg.setAttribute('width', String(size * moduleSize))
  svg.setAttribute('height', String(size * moduleSize))
  svg.setAttribute('shape-rendering', 'crispEdges')
  svg.setAttribute('role', 'img')
  svg.setAttribute('aria-label', 'QR code of the verification link')
  const bg = document.createElementNS(SVG, 'rect')
  bg.setAttribute('width', String(size))
  bg.setAttribute('height', String(size))
  bg.setAttribute('fill', '#fff')
  svg.appendChild(bg)
  // One path for all dark modules: small DOM, even for long links.
  let d = ''
  data.forEach((row, y) => row.forEach((dark, x) => dark && (d += `M${x} ${y}h1v1h-1z`)))
  const path = document.createElementNS(SVG, 'path')
  path.setAttribute('d', d)
  path.setAttribute('fill', '#000')
  svg.appendChild(path)
  return svg
}

/**
 * "Log in on another device": shows the user code, the verification link and a QR code of the
 * link with the code filled in, until the person approves or denies on their phone.
 */
export function mountDeviceLogin(root: HTMLElement, auth: AuthClient): void {
  const $ = <T extends HTMLElement>(sel: string) => root.querySelector(sel) as T
  const start = $<HTMLButtonElement>('#device-start')
  const cancel = $<HTMLButtonElement>('#device-cancel')
  const panel = $<HTMLElement>('#device-panel')
  const status = $<HTMLElement>('#device-status')
  let current: DeviceLogin | undefined

  const show = (d?: DeviceLogin) => {
    panel.hidden = !d
    cancel.hidden = !d
    start.hidden = !!d
    if (!d) return
    // textContent and checked https links only: these values come from the server.
    $('#device-code').textContent = d.userCode
    const link = $<HTMLAnchorElement>('#device-uri')
    link.textContent = d.verificationUri
    link.href = d.verificationUri
    const qr = $<HTMLElement>('#device-qr')
    qr.replaceChildren(...(d.verificationUriComplete ? [qrCode(d.verificationUriComplete)] : []))
    $('#device-expires').textContent = new Date(d.expiresAt).toLocaleTimeString()
  }

  start.onclick = async () => {
    status.textContent = 'Asking the server for a code…'
    try {
      current = await auth.deviceLogin()
    } catch (err) {
      status.textContent = `${(err as Error).name}: ${(err as Error).message}`
      return
    }
    show(current)
    status.textContent = 'Waiting for approval on the other device…'
    const mine = current
    mine.result.then(
      () => (status.textContent = 'Approved: signed in.'),
      (err: Error & { code?: string }) => (status.textContent = `Not signed in (${err.code}).`),
    )
    mine.result
      .catch(() => {})
      .finally(() => {
        if (current === mine) show((current = undefined))
      })
  }
  cancel.onclick = () => current?.cancel()
  auth.subscribe(() => {
    start.disabled = auth.getState().status !== 'unauthenticated'
  })
}
