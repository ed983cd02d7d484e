// The TOTP enrolment QR code, drawn on a canvas from the otpauth URI (uqr encodes it; no network,
// no image service). The secret is also shown as text for apps that cannot scan.
import { useEffect, useRef } from 'react';
import { encode } from 'uqr';

export function QrCode({ value, label, size = 220 }: { value: string; label: string; size?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    const { data } = encode(value, { ecc: 'M', border: 2 });
    const modules = data.length;
    const scale = Math.floor(size / modules);
    element.width = element.height = scale * modules;
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, element.width, element.height);
    context.fillStyle = '#000000';
    data.forEach((row, y) =>
      row.forEach((dark, x) => {
        if (dark) context.fillRect(x * scale, y * scale, scale, scale);
      }),
    );
  }, [value, size]);
  return <canvas ref={canvas} className="qr" role="img" aria-label={label} data-otpauth={value} />;
}
