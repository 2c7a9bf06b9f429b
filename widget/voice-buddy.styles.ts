import { css } from 'lit';

/**
 * Every inherited property is set on the inner root, so a host page's CSS (which can style the host element itself)
 * never reaches the widget's contents. Public variables are `--voice-buddy-*`; the private `--_*` ones resolve them
 * in order: attribute (accent) > page variable > tenant branding > default.
 */
export const styles = css`
  :host { display: block; contain: layout style; }
  :host([hidden]) { display: none; }
  :host([variant='floating']) { position: fixed; z-index: var(--voice-buddy-z-index, 2147483000); inset: auto; }
  :host([variant='floating']:not([placement])),
  :host([variant='floating'][placement='bottom-right']) { right: var(--voice-buddy-offset, 20px); bottom: var(--voice-buddy-offset, 20px); }
  :host([variant='floating'][placement='bottom-left']) { left: var(--voice-buddy-offset, 20px); bottom: var(--voice-buddy-offset, 20px); }
  :host([variant='floating'][placement='top-right']) { right: var(--voice-buddy-offset, 20px); top: var(--voice-buddy-offset, 20px); }
  :host([variant='floating'][placement='top-left']) { left: var(--voice-buddy-offset, 20px); top: var(--voice-buddy-offset, 20px); }

  .root {
    /* --_brand is the accent as set; --_accent-ui/--_accent-on are measured from it (theme/contrast-controller.ts). */
    --_brand: var(--_attr-accent, var(--voice-buddy-accent, var(--_brand-accent, #4f46e5)));
    --_accent: var(--_accent-ui, var(--_brand));
    --_accent-fg: var(--voice-buddy-accent-contrast, var(--_accent-on, #ffffff));
    --_danger: #b91c1c;
    --_bg: var(--voice-buddy-bg, #ffffff);
    --_fg: var(--voice-buddy-fg, #111827);
    --_muted: var(--voice-buddy-muted, #4b5563);
    --_border: var(--voice-buddy-border, #d1d5db);
    --_pill-bg: var(--voice-buddy-pill-bg, #f3f4f6);
    --_user-bg: var(--voice-buddy-user-bg, var(--_accent));
    --_user-fg: var(--voice-buddy-user-fg, var(--_accent-fg));
    --_assistant-bg: var(--voice-buddy-assistant-bg, #f3f4f6);
    --_radius: var(--voice-buddy-radius, 14px);
    all: initial;
    display: block;
    box-sizing: border-box;
    font-family: var(--voice-buddy-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: var(--voice-buddy-font-size, 15px);
    line-height: 1.4;
    color: var(--_fg);
    text-align: start;
  }
  :host([theme='dark']) .root {
    --_bg: var(--voice-buddy-bg, #111827); --_fg: var(--voice-buddy-fg, #f9fafb); --_muted: var(--voice-buddy-muted, #9ca3af);
    --_border: var(--voice-buddy-border, #374151); --_pill-bg: var(--voice-buddy-pill-bg, #1f2937);
    --_assistant-bg: var(--voice-buddy-assistant-bg, #1f2937); --_danger: #f87171;
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) .root {
      --_bg: var(--voice-buddy-bg, #111827); --_fg: var(--voice-buddy-fg, #f9fafb); --_muted: var(--voice-buddy-muted, #9ca3af);
      --_border: var(--voice-buddy-border, #374151); --_pill-bg: var(--voice-buddy-pill-bg, #1f2937);
      --_assistant-bg: var(--voice-buddy-assistant-bg, #1f2937); --_danger: #f87171;
    }
  }
  *, *::before, *::after { box-sizing: border-box; }

  .panel {
    display: flex; flex-direction: column; background: var(--_bg); color: var(--_fg);
    border: 1px solid var(--_border); border-radius: var(--_radius);
    inline-size: var(--voice-buddy-width, 100%); block-size: var(--voice-buddy-height, 600px); max-block-size: 100%;
    overflow: hidden; box-shadow: var(--voice-buddy-shadow, 0 1px 3px rgb(0 0 0 / 0.08));
  }
  :host([variant='floating']) .panel {
    inline-size: var(--voice-buddy-width, min(380px, calc(100vw - 40px)));
    block-size: var(--voice-buddy-height, min(640px, calc(100vh - 120px)));
    box-shadow: var(--voice-buddy-shadow, 0 12px 40px rgb(0 0 0 / 0.18));
  }
  /* The launcher is the item nearest its corner, so it never moves: the panel opens beside it, away from the corner. */
  :host([variant='floating']) .root { display: flex; flex-direction: column-reverse; align-items: flex-end; gap: 12px; }
  :host([variant='floating'][placement^='top']) .root { flex-direction: column; }
  :host([variant='floating'][placement$='left']) .root { align-items: flex-start; }
  .panel[hidden] { display: none; }

  header { display: flex; flex-wrap: wrap; align-items: center; gap: 0.35em 0.5em; padding: 0.6em 0.75em; border-block-end: 1px solid var(--_border); }
  header img { inline-size: 28px; block-size: 28px; border-radius: 6px; object-fit: cover; }
  .title { font-weight: 600; flex: 1 1 8em; min-width: min(8em, 100%); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; margin: 0; font-size: 1em; }
  /* The conversation keeps half the panel; the design area scrolls within the rest, or folds into its summary row. */
  voice-buddy-transcript { flex: 1 1 0; min-block-size: 50%; }
  .design { min-block-size: 0; overflow-y: auto; flex: 0 1 auto; }
  .design:empty, .design[hidden] { display: none; }
  .summary {
    display: flex; align-items: center; gap: 0.5em; inline-size: 100%; border: 0; border-block-start: 1px solid var(--_border);
    border-radius: 0; padding: 0.4em 0.75em; font-size: 0.85em; color: var(--_muted); text-align: start; flex: none;
  }
  .summary-text { flex: 1; min-inline-size: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .close { margin-inline-start: auto; padding: 0.3em; border: 0; display: grid; place-items: center; }
  .close svg { inline-size: 18px; block-size: 18px; }
  /* A phone: the open floating panel takes the whole screen, inside the safe area (notch, home bar). */
  @media (max-width: 480px) {
    :host([variant='floating'][open]) { inset: 0; }
    :host([variant='floating'][open]) .root { block-size: 100%; align-items: stretch; }
    :host([variant='floating'][open]) .panel {
      flex: 1; inline-size: 100%; block-size: 100%; max-block-size: none; border: 0; border-radius: 0;
      padding: env(safe-area-inset-top, 0) env(safe-area-inset-right, 0) env(safe-area-inset-bottom, 0) env(safe-area-inset-left, 0);
    }
    :host([variant='floating'][open]) .launcher { display: none; }
  }
  /* The buttons and the text row share one row when the panel is wide enough (the conversation keeps the height). */
  .dock { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5em; padding: 0.6em 0.75em; border-block-start: 1px solid var(--_border); }
  .controls { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5em; flex: 1 1 auto; }
  button {
    font: inherit; color: inherit; cursor: pointer; border-radius: 999px; border: 1px solid var(--_border);
    background: transparent; padding: 0.45em 0.9em; line-height: 1.2;
  }
  button:focus-visible, input:focus-visible, select:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
  button:disabled { opacity: 0.55; cursor: not-allowed; }
  .primary { background: var(--_accent); color: var(--_accent-fg); border-color: transparent; font-weight: 600; }
  .danger { border-color: var(--_danger); color: var(--_danger); }
  button[aria-pressed='true'] { background: var(--_pill-bg); }
  .meter { flex: 1; min-width: 60px; block-size: 6px; border-radius: 3px; background: var(--_pill-bg); overflow: hidden; }
  .meter > span { display: block; block-size: 100%; inline-size: 100%; background: var(--_accent); transform-origin: left; transform: scaleX(var(--_level, 0)); transition: transform 60ms linear; }
  .error { margin: 0 0.75em 0.5em; padding: 0.5em 0.75em; border-radius: 8px; background: #fef2f2; color: #991b1b; font-size: 0.9em; }
  .error button { margin-inline-start: 0.5em; border-color: #991b1b; color: #991b1b; padding: 0.2em 0.7em; font-size: 0.9em; }
  form { display: flex; gap: 0.5em; flex: 1000 1 16em; min-inline-size: 0; }
  input[type='text'] {
    flex: 1; min-width: 0; font: inherit; color: inherit; background: var(--_bg); border: 1px solid var(--_border);
    border-radius: 999px; padding: 0.45em 0.9em;
  }
  /* The talk button and the fallback offer are styled by the conversation's machinery (realtime/views.ts). */
  .settings { display: flex; flex-wrap: wrap; gap: 0.75em; padding: 0 0.75em 0.6em; font-size: 0.8em; color: var(--_muted); }
  .settings:empty { display: none; }
  .settings [part~='sandbox-notice'] { flex-basis: 100%; order: 1; }
  select { font: inherit; color: var(--_fg); background: var(--_bg); border: 1px solid var(--_border); border-radius: 6px; padding: 0.15em 0.3em; }
  .launcher {
    inline-size: 56px; block-size: 56px; border-radius: 50%; padding: 0; border: 0; background: var(--_accent);
    color: var(--_accent-fg); box-shadow: 0 6px 20px rgb(0 0 0 / 0.2); display: grid; place-items: center;
  }
  .launcher svg { inline-size: 26px; block-size: 26px; }
  /* A conversation goes on while the panel is closed: a ring around the launcher and an End button beside it. */
  .launcher[data-live] { box-shadow: 0 0 0 3px var(--_bg), 0 0 0 6px #16a34a, 0 6px 20px rgb(0 0 0 / 0.2); animation: vb-live 2s ease-in-out infinite; }
  @keyframes vb-live { 50% { box-shadow: 0 0 0 3px var(--_bg), 0 0 0 9px rgb(22 163 74 / 0.45), 0 6px 20px rgb(0 0 0 / 0.2); } }
  .launcher-end {
    background: var(--_bg); color: var(--_danger); border-color: var(--_danger); font-weight: 600; font-size: 0.85em;
    box-shadow: 0 4px 14px rgb(0 0 0 / 0.15);
  }
  .sr-only { position: absolute; inline-size: 1px; block-size: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  @media (prefers-reduced-motion: reduce) { .meter > span { transition: none; } .launcher[data-live] { animation: none; } }
`;
