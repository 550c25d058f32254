import { raw } from 'hono/html';
import QRCode from 'qrcode';

const LABEL = 'QR code of the setup link: scan it with your authenticator app';

/**
 * The enrolment's otpauth:// link as an inline SVG QR code, drawn on the server: no script, no
 * image request, nothing the CSP must allow (the SVG has presentation attributes, never `style`).
 * Undefined for anything but an otpauth link, or when it cannot be drawn (the setup key below it
 * still works for typing in).
 */
export async function qrSvg(uri: string): Promise<string | undefined> {
  if (!/^otpauth:\/\/totp\/[^\s<>"']+$/.test(uri)) return undefined;
  try {
    const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, width: 200 });
    return svg.trim().replace(/^<svg /, `<svg role="img" aria-label="${LABEL}" class="acct-qr" focusable="false" `);
  } catch {
    return undefined;
  }
}

/** The QR code as markup for the page (the SVG is ours, made from a checked otpauth link). */
export function QrCode(props: { svg: string }) {
  return <figure class="acct-qr-figure">{raw(props.svg)}</figure>;
}
