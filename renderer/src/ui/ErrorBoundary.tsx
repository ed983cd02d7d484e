// If a screen fails to render, the contractor gets a sentence and a way back, never a blank window
// or a stack trace. Nothing recorded is lost: takes live in main until submitted or discarded.
import { Component, type ReactNode } from 'react';

interface State {
  failed: boolean;
}

export class ErrorBoundary extends Component<{ children: ReactNode; onReset: () => void }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <section className="card" role="alert">
        <h2>This screen ran into a problem</h2>
        <p>Something went wrong while showing this screen. Your submitted samples are safe in the outbox.</p>
        <button
          type="button"
          className="tone-primary"
          onClick={() => {
            this.setState({ failed: false });
            this.props.onReset();
          }}
        >
          Go to the outbox
        </button>
      </section>
    );
  }
}
