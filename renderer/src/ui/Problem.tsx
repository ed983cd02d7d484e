// A problem, said as a sentence and announced at once.
export function Problem({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <p role="alert" className="problem">
      {text}
    </p>
  );
}
