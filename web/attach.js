// A file on its way into the composer: chosen with the button, pasted, or dropped on the chat.
// It is shown (an image as a thumbnail, anything else by name) until the user sends it with the
// composer's text as its caption, or removes it.
import { h, sizeLabel } from './dom.js';

export function mountAttachment({ preview, fileInput, pasteTarget, dropZone, onStaged }) {
  let file = null;
  let url = null;

  function render() {
    if (url) URL.revokeObjectURL(url);
    url = null;
    preview.hidden = !file;
    if (!file) {
      preview.replaceChildren();
      return;
    }
    const isImage = (file.type || '').startsWith('image/');
    if (isImage) url = URL.createObjectURL(file);
    preview.replaceChildren(
      isImage ? h('img', { class: 'thumbnail', src: url, alt: '' }) : null,
      h('span', { class: 'file-name' }, `${file.name || 'file'} (${sizeLabel(file.size)})`),
      h('button', { type: 'button', class: 'link', id: 'attach-remove', 'aria-label': `Remove ${file.name || 'the file'}`, onclick: clear }, 'Remove'),
    );
  }

  function stage(chosen) {
    if (!chosen) return;
    file = chosen;
    render();
    onStaged?.(file);
  }

  function clear() {
    file = null;
    render();
  }

  fileInput.addEventListener('change', () => {
    stage(fileInput.files[0]);
    fileInput.value = '';
  });
  // A pasted image (a screenshot, say) arrives as a file on the clipboard; pasted text is left
  // to the text box.
  pasteTarget.addEventListener('paste', (e) => {
    const pasted = [...(e.clipboardData?.files || [])][0];
    if (!pasted) return;
    e.preventDefault();
    stage(pasted);
  });
  dropZone.addEventListener('dragover', (e) => {
    if (![...(e.dataTransfer?.types || [])].includes('Files')) return;
    e.preventDefault();
    dropZone.classList.add('dropping');
  });
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dropping'));
  dropZone.addEventListener('drop', (e) => {
    dropZone.classList.remove('dropping');
    const dropped = [...(e.dataTransfer?.files || [])][0];
    if (!dropped) return;
    e.preventDefault();
    stage(dropped);
  });

  render();
  return { staged: () => file, clear };
}
