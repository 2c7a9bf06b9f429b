// Options for the custom-elements-manifest analyzer, run by test/docs.mjs. It writes to a scratch folder, so it must
// not point package.json at that folder (package.json names widget/custom-elements.json itself).

/** The element's parts that are sub-elements, whose own parts it forwards with `exportparts` (voice-buddy.view.ts). */
const FORWARDED = {
  status: 'voice-buddy-status-pill',
  transcript: 'voice-buddy-transcript',
  keywords: 'voice-buddy-keyword-chips',
  gallery: 'voice-buddy-concept-gallery',
};

/** Lists each forwarded part on <voice-buddy> itself, after the part of the sub-element it lives in. */
function forwardedParts() {
  return {
    name: 'voice-buddy-forwarded-parts',
    packageLinkPhase({ customElementsManifest }) {
      const declarations = customElementsManifest.modules.flatMap((m) => m.declarations ?? []);
      const host = declarations.find((d) => d.tagName === 'voice-buddy');
      for (const [part, tag] of Object.entries(FORWARDED)) {
        const sub = declarations.find((d) => d.tagName === tag);
        if (!sub?.cssParts?.length) throw new Error(`cem: no parts documented on <${tag}>`);
        const at = host.cssParts.findIndex((p) => p.name === part);
        if (at < 0) throw new Error(`cem: <voice-buddy> documents no part "${part}"`);
        const inner = sub.cssParts.map((p) => ({ name: p.name, description: `In \`${part}\`: ${p.description}` }));
        host.cssParts.splice(at + 1, 0, ...inner);
      }
    },
  };
}

export default {
  packagejson: false,
  plugins: [forwardedParts()],
};
