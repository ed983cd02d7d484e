// A button that shows its keyboard shortcut; the shortcut is also in its accessible description.
import type { ButtonHTMLAttributes } from 'react';

interface KeyButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  label: string;
  keys: string[];
  tone?: 'primary' | 'danger' | 'plain';
}

export function KeyButton({ label, keys, tone = 'plain', className, ...rest }: KeyButtonProps) {
  return (
    <button type="button" className={`key-button tone-${tone} ${className ?? ''}`} aria-keyshortcuts={keys.join(' ')} {...rest}>
      <span>{label}</span>
      <span className="keys" aria-hidden="true">
        {keys.map((key) => (
          <kbd key={key}>{key}</kbd>
        ))}
      </span>
    </button>
  );
}
