// Redrawing a list without replacing what did not change. Each entry has a key (who it is) and a
// signature (what it shows); an element whose signature is unchanged is kept as it is, in place.
// That matters beyond speed: a screen reader announces only what is added to a live list, focus
// stays on a kept button, and a kept image is not fetched and laid out again.
export class KeyedList {
  constructor(parent) {
    this.parent = parent;
    this.entries = new Map(); // key -> {signature, element}
  }

  // entries: [{key, signature, make}] in order; make() draws the element when it is needed.
  update(entries) {
    const next = new Map();
    const elements = entries.map(({ key, signature, make }) => {
      const kept = this.entries.get(key);
      const element = kept && kept.signature === signature ? kept.element : make();
      next.set(key, { signature, element });
      return element;
    });
    this.entries = next;
    const wanted = new Set(elements);
    for (const child of [...this.parent.children]) if (!wanted.has(child)) child.remove();
    // What is in place already stays; only new or moved elements are inserted.
    let cursor = this.parent.firstChild;
    for (const element of elements) {
      if (element === cursor) cursor = cursor.nextSibling;
      else this.parent.insertBefore(element, cursor);
    }
  }
}
