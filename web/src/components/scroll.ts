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

/** Bring the top of `element` to the top of its own scrolling container (a panel opened below a list). */
export function bringToTop(element: HTMLElement) {
  let container = element.parentElement;
  while (container && !/(auto|scroll)/.test(getComputedStyle(container).overflowY)) container = container.parentElement;
  if (!container) return;
  container.scrollTop += element.getBoundingClientRect().top - container.getBoundingClientRect().top;
}
