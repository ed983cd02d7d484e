// A picture of the take's log-mel spectrogram (time left to right, low bands at the bottom) from
// the small preview main computes. Display only.
import { useEffect, useRef } from 'react';
import type { TakeReview } from '../../../shared/domain';

/** A perceptual dark-to-bright ramp (approximately viridis), 0–1 → RGB. */
function colour(value: number): [number, number, number] {
  const stops: [number, number, number][] = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ];
  const position = Math.min(0.9999, Math.max(0, value)) * (stops.length - 1);
  const index = Math.floor(position);
  const t = position - index;
  const [a, b] = [stops[index]!, stops[index + 1]!];
  return [0, 1, 2].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * t)) as [number, number, number];
}

export function MelPicture({ preview }: { preview: TakeReview['melPreview'] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context || preview.frames === 0 || preview.bands === 0) return;
    element.width = preview.frames;
    element.height = preview.bands;
    const image = context.createImageData(preview.frames, preview.bands);
    for (let frame = 0; frame < preview.frames; frame++) {
      for (let band = 0; band < preview.bands; band++) {
        const [r, g, b] = colour(preview.values[frame * preview.bands + band] ?? 0);
        const offset = ((preview.bands - 1 - band) * preview.frames + frame) * 4;
        image.data[offset] = r;
        image.data[offset + 1] = g;
        image.data[offset + 2] = b;
        image.data[offset + 3] = 255;
      }
    }
    context.putImageData(image, 0, 0);
  }, [preview]);
  return <canvas ref={canvas} className="mel" role="img" aria-label="Mel spectrogram of the take: time from left to right, pitch from bottom to top" />;
}
