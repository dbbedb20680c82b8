import { validateSync } from 'class-validator';
import { IsAcceptablePassword, PASSWORD_MIN_LENGTH, passwordProblem } from './password-policy.js';

describe(passwordProblem.name, () => {
  const sut = (value: unknown) => passwordProblem('password', value);

  it('accepts a password of 10 characters or more that is not a common one', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(10);
    expect(sut('tea-at-nine')).toBeNull();
    expect(sut('Blackboard')).toBeNull();
    expect(sut('x'.repeat(9) + 'y')).toBeNull();
  });

  it('refuses a password shorter than 10 characters, naming the field', () => {
    expect(sut('short-pw1')).toBe('password must be at least 10 characters long');
    expect(passwordProblem('newPassword', '')).toBe('newPassword must be at least 10 characters long');
  });

  it('counts characters, not UTF-16 units, so ten Chinese characters or emoji are long enough and five emoji are not', () => {
    expect(sut('我们的老师每天都来上')).toBeNull();
    expect(sut('😀😁😂🤣😃')).toBe('password must be at least 10 characters long'); // 10 UTF-16 units
    expect(sut('😀😁😂🤣😃😄😅😆😉😊')).toBeNull();
  });

  it('refuses a password longer than 200 characters', () => {
    expect(sut('a1'.repeat(100))).toBeNull();
    expect(sut('a1'.repeat(100) + 'b')).toBe('password must be at most 200 characters long');
  });

  it('refuses the most common passwords, whatever their case or spacing', () => {
    for (const common of ['1234567890', 'qwertyuiop', 'password123', 'Password123', 'PASSWORD 123', ' woaini1314 ', 'Tongke2026', 'teacher123']) {
      expect(sut(common)).toBe('password is one of the most common passwords; choose another');
    }
  });

  it('refuses one character repeated, whatever its case or spacing', () => {
    for (const repeated of ['aaaaaaaaaa', 'AAAAAaaaaa', '0000 0000 0000', '！！！！！！！！！！']) {
      expect(sut(repeated)).toBe('password is one of the most common passwords; choose another');
    }
  });

  it('refuses spaces alone, one character among spaces, or one emoji repeated', () => {
    for (const blank of [' '.repeat(10), '\u3000'.repeat(10), '         a', 'a         ', '😀'.repeat(10)]) {
      expect(sut(blank)).toBe('password is one of the most common passwords; choose another');
    }
  });

  it('accepts a common password with more to it', () => {
    expect(sut('password123!')).toBeNull();
    expect(sut('aaaaaaaaaab')).toBeNull();
  });

  it('refuses anything but a string', () => {
    expect(sut(1234567890)).toBe('password must be a string');
    expect(sut(undefined)).toBe('password must be a string');
    expect(sut(['long-enough-pw'])).toBe('password must be a string');
  });
});

describe(IsAcceptablePassword.name, () => {
  class Signup {
    @IsAcceptablePassword()
    secret: unknown;
  }
  const sut = (secret: unknown) => validateSync(Object.assign(new Signup(), { secret })).flatMap((e) => Object.values(e.constraints ?? {}));

  it("answers with the policy's reason, naming the property", () => {
    expect(sut('tea-at-nine')).toEqual([]);
    expect(sut('short')).toEqual(['secret must be at least 10 characters long']);
    expect(sut('Password123')).toEqual(['secret is one of the most common passwords; choose another']);
    expect(sut(42)).toEqual(['secret must be a string']);
  });
});
