/**
 * Bring `element` to the middle of its own scrolling container only: `scrollIntoView` also scrolls
 * every ancestor, the shell's frame included, which then sat shifted up on the page.
 */
export function centreInScroller(element: HTMLElement) {
  let container = element.parentElement;
  while (container && !/(auto|scroll)/.test(getComputedStyle(container).overflowY)) container = container.parentElement;
  if (!container) return;
  const box = element.getBoundingClientRect();
  const frame = container.getBoundingClientRect();
  container.scrollTop += box.top - frame.top - (frame.height - box.height) / 2;
}
