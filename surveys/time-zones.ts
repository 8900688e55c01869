// Time zone arithmetic through the runtime's own database (Intl): pure, shared by the server and the web.

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Whether the runtime knows this IANA time zone name (Asia/Shanghai, Europe/London). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** How far a zone's clock is ahead of UTC at an instant, in ms (Asia/Shanghai: +8 h); throws on an unknown zone. */
export function zoneOffset(instant: number, timeZone: string): number {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormatters.set(timeZone, formatter);
  }
  const field = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 } as Record<string, number>;
  for (const part of formatter.formatToParts(instant)) if (part.type in field) field[part.type] = Number(part.value);
  const local = Date.UTC(field.year!, field.month! - 1, field.day!, field.hour!, field.minute!, field.second!);
  return local - Math.floor(instant / 1000) * 1000;
}
