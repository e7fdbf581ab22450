import { useMemo } from 'react'
import { encode } from 'uqr'

export interface QrCodeProps {
  /** What the code encodes (here: the verification link with the user code filled in). */
  text: string
  /** Read out instead of the picture. */
  label: string
  /** Pixels per module. */
  moduleSize?: number
}

/** A QR code as SVG elements built from uqr's module matrix: nothing is parsed as markup. */
export function QrCode({ text, label, moduleSize = 4 }: QrCodeProps) {
  const { size, path } = useMemo(() => {
    const { size, data } = encode(text, { border: 2 })
    // One path for all dark modules: a small DOM, even for long links.
    let path = ''
    data.forEach((row, y) => row.forEach((dark, x) => dark && (path += `M${x} ${y}h1v1h-1z`)))
    return { size, path }
  }, [text])
  return (
    <svg
      viewBox={`0 0 ${size} ${size}`}
      width={size * moduleSize}
      height={size * moduleSize}
      shapeRendering="crispEdges"
      role="img"
      aria-label={label}
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  )
}
