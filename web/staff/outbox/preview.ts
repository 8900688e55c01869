// The HTML part of a message made safe to look at: the staff member sees the text and layout, and the
// preview fetches nothing (an image would count as the customer opening the mail, and our own headers
// refuse it to a sandboxed frame), runs nothing and goes nowhere (links keep their address as a tooltip).
const dropped = 'script, iframe, frame, frameset, object, embed, link, base, meta[http-equiv], form, audio, video, source, track';

/** The message's HTML with everything that would load, run or navigate taken out; parsing it runs and loads nothing. */
export function previewHtml(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const element of doc.querySelectorAll(dropped)) element.remove();
  for (const image of doc.querySelectorAll('img, picture')) {
    const src = image.getAttribute('src') ?? '';
    if (image.tagName === 'PICTURE' || !src.startsWith('data:') || image.hasAttribute('srcset')) image.remove();
  }
  for (const element of doc.querySelectorAll('*')) {
    for (const { name, value } of [...element.attributes]) {
      if (/^on/i.test(name) || name === 'background' || (name === 'style' && /url\s*\(/i.test(value))) element.removeAttribute(name);
    }
  }
  for (const link of doc.querySelectorAll('a[href]')) {
    link.setAttribute('title', link.getAttribute('href') ?? '');
    link.removeAttribute('href');
    link.setAttribute('data-href', '');
  }
  for (const style of doc.querySelectorAll('style')) {
    if (/url\s*\(|@import/i.test(style.textContent ?? '')) style.remove();
  }
  const policy = doc.createElement('meta');
  policy.setAttribute('http-equiv', 'Content-Security-Policy');
  policy.setAttribute('content', "default-src 'none'; img-src data:; style-src 'unsafe-inline'");
  const look = doc.createElement('style');
  look.textContent = 'a[data-href]{color:#0b57d0;text-decoration:underline}';
  doc.head.prepend(policy, look);
  return `<!doctype html>${doc.documentElement.outerHTML}`;
}
