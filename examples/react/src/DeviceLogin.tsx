import { useAuth, useDeviceLogin } from '@oauth-spa/react'
import { QrCode } from './QrCode'

/** `value` if it is an http(s) URL: only then does a server's value become a link or a QR code. */
function webUrl(value: string | undefined): string | undefined {
  try {
    return value && /^https?:$/.test(new URL(value).protocol) ? value : undefined
  } catch {
    return undefined
  }
}

/**
 * "Log in on another device" (RFC 8628): the user code, the verification link and a QR code of
 * the link with the code filled in, until the person approves or denies on their phone.
 */
export function DeviceLogin() {
  const auth = useAuth()
  const device = useDeviceLogin()
  const { status, error } = device

  let message = ''
  if (status === 'starting') message = 'Asking the server for a code…'
  else if (status === 'pending') message = 'Waiting for approval on the other device…'
  else if (status === 'approved' && auth.status === 'authenticated')
    message = 'Approved: signed in.'
  // A cancel is the person's own doing: back to the button without a word.
  else if (status === 'failed' && error?.code !== 'aborted')
    message = `Not signed in (${error?.code}).`
  if (auth.status !== 'unauthenticated' && !message) return null

  const link = webUrl(device.verificationUri)
  const qr = webUrl(device.verificationUriComplete)
  return (
    <section id="device" aria-label="Log in on another device">
      {status === 'pending' ? (
        <>
          {/* Text and checked links only: these values come from the server. */}
          <p>
            On your phone, open{' '}
            {link ? (
              <a id="device-uri" href={link} target="_blank" rel="noopener noreferrer">
                {link}
              </a>
            ) : (
              <span id="device-uri">{device.verificationUri}</span>
            )}{' '}
            and enter{' '}
            <strong id="device-code" className="device-code">
              {device.userCode}
            </strong>
            {qr ? ', or scan:' : '.'}
          </p>
          {qr && (
            <div id="device-qr">
              <QrCode text={qr} label="QR code of the verification link" />
            </div>
          )}
          <p>
            The code expires at{' '}
            <span id="device-expires">{new Date(device.expiresAt!).toLocaleTimeString()}</span>.
          </p>
          <p className="buttons">
            <button id="device-cancel" type="button" onClick={() => device.cancel()}>
              Cancel
            </button>
          </p>
        </>
      ) : (
        auth.status === 'unauthenticated' && (
          <p className="buttons">
            <button
              id="device-start"
              type="button"
              disabled={status === 'starting'}
              onClick={() => void device.start()}
            >
              Log in on another device
            </button>
          </p>
        )
      )}
      <p id="device-status" role="status">
        {message}
      </p>
    </section>
  )
}
