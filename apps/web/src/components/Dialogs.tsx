/** Modal dialogs: the name prompt, the shortcut list, and the page shown when a token is needed. */
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { MAX_NAME_LENGTH } from '../models/identity-model.ts';
import { SHORTCUTS } from '../models/keys.ts';
import { useApp } from './context.ts';

export function IdentityDialog() {
  const app = useApp();
  const error = useSignal('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const first = app.identity.name.value === null;
  return (
    <div class="modal-back">
      <form
        class="modal"
        onSubmit={(e) => {
          e.preventDefault();
          const input = (e.currentTarget as HTMLFormElement).elements.namedItem(
            'name',
          ) as HTMLInputElement;
          if (!app.identity.set(input.value)) {
            error.value = `Use 1–${MAX_NAME_LENGTH} characters.`;
          }
        }}
      >
        <h2>{first ? 'Who is labeling?' : 'Change your name'}</h2>
        <p class="dim">
          Shown to the people labeling with you and recorded with each change you make; kept in this
          browser.
          {first && ` Until you set one, your changes are recorded as ${app.identity.session}.`}
        </p>
        <input
          ref={input}
          name="name"
          maxLength={MAX_NAME_LENGTH}
          placeholder="Your name"
          value={app.identity.name.value ?? ''}
          aria-label="Your name"
        />
        {error.value && <p class="error-text">{error.value}</p>}
        <div class="row">
          <button type="submit" class="primary">
            Save
          </button>
          <button type="button" onClick={() => app.identity.cancelPrompt()}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}

export function ShortcutsDialog() {
  const app = useApp();
  const close = () => app.ui.setOpen('shortcuts', false);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: Esc closes it too
    <div class="modal-back" onClick={close}>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: only stops the backdrop click */}
      <div
        class="modal"
        role="dialog"
        aria-label="Keyboard shortcuts"
        onClick={(e) => e.stopPropagation()}
      >
        <h2>Keyboard shortcuts</h2>
        <table class="keys">
          <tbody>
            {SHORTCUTS.map(([k, what]) => (
              <tr key={k}>
                <td>
                  <kbd>{k}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="dim small">Labeling keys act on the selection when several items are selected.</p>
        <div class="row">
          <button type="button" class="primary" onClick={close}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

export function TokenPage() {
  return (
    <div class="token-page">
      <div class="modal">
        <h2>This Lenslet needs an access link</h2>
        <p>
          The server is shared on the network and asks for a token. Open the link that the person
          running it shared with you — it ends in <code>?token=…</code> and was printed in their
          terminal when <code>lenslet serve</code> started.
        </p>
        <p class="dim">
          Scripts send the same token as <code>Authorization: Bearer &lt;token&gt;</code>.
        </p>
      </div>
    </div>
  );
}
