import { css } from 'lit';

/** Shared by every console element (each has its own shadow root). Colours meet WCAG AA on their backgrounds. */
export const adminStyles = css`
  :host {
    --vb-admin-fg: #1b1f24;
    --vb-admin-muted: #4f5863;
    --vb-admin-bg: #ffffff;
    --vb-admin-surface: #f4f6f8;
    --vb-admin-border: #c5ccd3;
    --vb-admin-accent: #0b5cad;
    --vb-admin-accent-fg: #ffffff;
    --vb-admin-danger: #b3261e;
    --vb-admin-ok: #1d6b35;
    --vb-admin-warn: #8a5300;
    --vb-admin-radius: 6px;
    display: block;
    color: var(--vb-admin-fg);
    font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  h2,
  h3,
  h4 {
    margin: 0 0 0.5rem;
    line-height: 1.25;
  }
  h2 {
    font-size: 1.3rem;
  }
  h3 {
    font-size: 1.05rem;
  }
  p {
    margin: 0.25rem 0;
  }
  button {
    font: inherit;
    padding: 0.35rem 0.8rem;
    border: 1px solid var(--vb-admin-accent);
    border-radius: var(--vb-admin-radius);
    background: var(--vb-admin-bg);
    color: var(--vb-admin-accent);
    cursor: pointer;
  }
  button.primary {
    background: var(--vb-admin-accent);
    color: var(--vb-admin-accent-fg);
  }
  button.danger {
    border-color: var(--vb-admin-danger);
    color: var(--vb-admin-danger);
  }
  button:disabled {
    opacity: 0.6;
    cursor: not-allowed;
  }
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
    background: var(--vb-admin-bg);
    border: 1px solid var(--vb-admin-border);
    border-radius: var(--vb-admin-radius);
    padding: 0.3rem 0.45rem;
  }
  textarea {
    width: 100%;
    min-height: 5rem;
  }
  input[type='checkbox'] {
    width: 1.05rem;
    height: 1.05rem;
  }
  input[type='color'] {
    padding: 0;
    width: 3rem;
    height: 2rem;
  }
  input[aria-invalid='true'],
  textarea[aria-invalid='true'] {
    border-color: var(--vb-admin-danger);
    outline: 1px solid var(--vb-admin-danger);
  }
  :focus-visible {
    outline: 3px solid var(--vb-admin-accent);
    outline-offset: 2px;
  }
  label {
    font-weight: 600;
  }
  fieldset {
    border: 1px solid var(--vb-admin-border);
    border-radius: var(--vb-admin-radius);
    margin: 0 0 1rem;
    padding: 0.75rem 1rem;
  }
  legend {
    font-weight: 700;
    padding: 0 0.3rem;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 0.2rem;
    margin: 0 0 0.75rem;
  }
  .inline {
    display: flex;
    flex-direction: row;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  .check {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    margin: 0 1.25rem 0.4rem 0;
  }
  .check label {
    font-weight: 400;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
    gap: 0 1rem;
  }
  .hint {
    color: var(--vb-admin-muted);
    font-size: 0.88rem;
    font-weight: 400;
  }
  .error {
    color: var(--vb-admin-danger);
    font-size: 0.9rem;
    margin: 0.15rem 0 0;
  }
  .banner {
    border: 1px solid var(--vb-admin-border);
    border-left: 4px solid var(--vb-admin-danger);
    background: var(--vb-admin-surface);
    padding: 0.5rem 0.75rem;
    margin: 0 0 1rem;
    border-radius: var(--vb-admin-radius);
  }
  .card {
    border: 1px solid var(--vb-admin-border);
    border-radius: var(--vb-admin-radius);
    padding: 0.75rem 1rem;
    margin: 0 0 1rem;
    background: var(--vb-admin-bg);
  }
  .staged {
    border-color: var(--vb-admin-accent);
    box-shadow: inset 4px 0 0 var(--vb-admin-accent);
  }
  .badge {
    display: inline-block;
    font-size: 0.82rem;
    font-weight: 600;
    padding: 0.05rem 0.5rem;
    border-radius: 999px;
    border: 1px solid currentColor;
  }
  .status-ok {
    color: var(--vb-admin-ok);
  }
  .status-sandbox,
  .status-degraded {
    color: var(--vb-admin-warn);
  }
  .status-error {
    color: var(--vb-admin-danger);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin: 0.75rem 0 0;
  }
  ul.plain {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  table {
    border-collapse: collapse;
    margin: 0.5rem 0;
  }
  th,
  td {
    text-align: left;
    padding: 0.2rem 0.6rem 0.2rem 0;
    vertical-align: top;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
