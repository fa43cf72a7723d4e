// Hover and focus tooltips for every element with a data-tooltip attribute (chart marks, cells).
// One handler for the whole page; the text is set with textContent, so it is only ever text.

const OFFSET = 14; // px between the pointer and the tooltip

export function installTooltips(tooltip) {
  let current = null;

  const hide = () => {
    current = null;
    tooltip.hidden = true;
  };

  const place = (x, y) => {
    const { width, height } = tooltip.getBoundingClientRect();
    const left = Math.min(x + OFFSET, window.innerWidth - width - 8);
    const top = y + OFFSET + height > window.innerHeight ? y - height - OFFSET : y + OFFSET;
    // CSSOM properties, not a style attribute: allowed by the page's style-src 'self'.
    tooltip.style.left = `${Math.max(8, left)}px`;
    tooltip.style.top = `${Math.max(8, top)}px`;
  };

  const show = (target, x, y) => {
    if (current !== target) {
      current = target;
      tooltip.textContent = target.getAttribute('data-tooltip');
      tooltip.hidden = false;
    }
    place(x, y);
  };

  document.addEventListener('pointermove', (event) => {
    const target = event.target instanceof Element ? event.target.closest('[data-tooltip]') : null;
    if (target) show(target, event.clientX, event.clientY);
    else if (current) hide();
  });
  document.addEventListener('focusin', (event) => {
    const target = event.target instanceof Element ? event.target.closest('[data-tooltip]') : null;
    if (!target) return;
    const box = target.getBoundingClientRect();
    show(target, box.left + box.width / 2, box.bottom);
  });
  document.addEventListener('focusout', hide);
  document.addEventListener('pointerleave', hide);
  document.addEventListener('scroll', hide, { capture: true, passive: true });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') hide();
  });
}
