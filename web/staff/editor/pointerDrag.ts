// Dragging a list item by its handle with any pointer: a mouse, a finger or a pen. Pointer events carry all
// three the same way (HTML drag and drop does not fire for touch), so one path serves them. A press that moves
// less than a few pixels stays a click; while dragging, the page scrolls when the pointer nears its top or bottom
// edge, so a long list can be reordered on a phone.

const startDistance = 6;
const edge = 56;
const scrollStep = 14;

export type PointerDrag = {
  /** The list's items, top to bottom, as they are on screen now. */
  items: () => readonly Element[];
  /** The drag has begun (the pointer moved past the threshold). */
  start: () => void;
  /** The item under the pointer changed (null: outside the list). */
  over: (index: number | null) => void;
  /** Released over an item. */
  drop: (index: number) => void;
  /** The browser took the pointer away (a system gesture, a lost touch). */
  cancel: () => void;
};

/** The item whose vertical span holds y; above the first item counts as the first, below the last as the last. */
export function itemAt(spans: readonly { top: number; bottom: number }[], y: number): number | null {
  if (spans.length === 0) return null;
  if (y < spans[0]!.top) return 0;
  for (let index = 0; index < spans.length; index += 1) if (y < spans[index]!.bottom) return index;
  return spans.length - 1;
}

/** Follows one press on a handle until it is released; call from the handle's pointerdown. */
export function followPointer(event: PointerEvent, drag: PointerDrag): void {
  if (event.pointerType === 'mouse' && event.button !== 0) return;
  const handle = event.currentTarget as HTMLElement;
  const pointer = event.pointerId;
  const startY = event.clientY;
  const startX = event.clientX;
  let lastY = startY;
  let dragging = false;
  let scrolling = 0;
  handle.setPointerCapture(pointer);

  const overAt = (y: number) => {
    const spans = drag.items().map((item) => item.getBoundingClientRect());
    drag.over(itemAt(spans, y));
  };
  const scroll = () => {
    scrolling = 0;
    if (!dragging) return;
    const delta = lastY < edge ? -scrollStep : lastY > window.innerHeight - edge ? scrollStep : 0;
    if (delta === 0) return;
    window.scrollBy(0, delta);
    overAt(lastY);
    scrolling = requestAnimationFrame(scroll);
  };
  const move = (moved: PointerEvent) => {
    if (moved.pointerId !== pointer) return;
    lastY = moved.clientY;
    if (!dragging) {
      if (Math.hypot(moved.clientX - startX, moved.clientY - startY) < startDistance) return;
      dragging = true;
      drag.start();
    }
    moved.preventDefault();
    overAt(lastY);
    if (scrolling === 0) scrolling = requestAnimationFrame(scroll);
  };
  const finish = (ended: PointerEvent) => {
    if (ended.pointerId !== pointer) return;
    handle.removeEventListener('pointermove', move);
    handle.removeEventListener('pointerup', finish);
    handle.removeEventListener('pointercancel', finish);
    if (scrolling !== 0) cancelAnimationFrame(scrolling);
    if (!dragging) return;
    if (ended.type === 'pointercancel') return drag.cancel();
    const spans = drag.items().map((item) => item.getBoundingClientRect());
    const index = itemAt(spans, ended.clientY);
    if (index === null) drag.cancel();
    else drag.drop(index);
  };
  handle.addEventListener('pointermove', move);
  handle.addEventListener('pointerup', finish);
  handle.addEventListener('pointercancel', finish);
}
