// How tests and benchmarks start Debian's Chromium: headless, as root, and with no background traffic
// (this machine's network is closed, and Chromium's own calls home would only fail and add noise).
export const chromiumPath = '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
