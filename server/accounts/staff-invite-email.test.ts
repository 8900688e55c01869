import { describe, expect, it } from 'vitest';
import { staffInviteEmail } from './service.ts';

describe('the staff invite email', () => {
  const email = staffInviteEmail({
    id: 'abc',
    to: 'lin@example.com',
    link: 'https://cx.example.com/app/invite?token=t0k3n',
    role: 'support',
    invitedBy: 'Ada\r\nBcc: someone@example.com',
    expiresAt: '2026-12-13T08:00:00.000Z',
  });

  it('keeps the inviter’s name on one line of the subject', () => {
    expect(email.subject).toBe('Ada Bcc: someone@example.com invited you to the staff app / Ada Bcc: someone@example.com 邀请您使用员工应用');
  });

  it('gives the link, the role and the expiry in both languages, under the invite’s topic', () => {
    expect(email.text.match(/https:\/\/cx\.example\.com\/app\/invite\?token=t0k3n/g)).toHaveLength(2);
    expect(email.text).toContain('as support.');
    expect(email.text).toContain('以客服身份');
    expect(email.text).toContain('until 2026-12-13 08:00 UTC');
    expect(email.topic).toBe('staff-invite:abc');
  });
});
