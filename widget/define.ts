/** Defines a custom element unless the tag is taken: a page that loads the script twice must not throw. */
export function defineOnce(tag: string, ctor: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, ctor);
}
