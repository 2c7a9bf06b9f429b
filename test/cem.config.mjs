// Options for the custom-elements-manifest analyzer, run by test/docs.mjs. It writes to a scratch folder, so it must
// not point package.json at that folder (package.json names widget/custom-elements.json itself).
export default {
  packagejson: false,
};
