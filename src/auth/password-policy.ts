import { ValidateBy, type ValidationOptions } from 'class-validator';

export const PASSWORD_MIN_LENGTH = 10;

/**
 * Passwords people pick first, and which password-guessing tools try first (the top of public leak lists,
 * Chinese ones included), at 10 characters or more. Compared without case and without spaces.
 */
const COMMON = new Set([
  '1234567890', '12345678910', '123456789a', 'a123456789', '0123456789', '9876543210', '0987654321', '1111111111',
  '0000000000', '1234512345', '1122334455', '1q2w3e4r5t', '1qaz2wsx3edc', 'qwertyuiop', 'asdfghjkl;', 'zxcvbnm123',
  'qwerty1234', 'qwerty12345', 'qwertyuiop123', 'password123', 'password1234', 'passw0rd123', 'password12', 'p@ssw0rd123',
  'p@ssword123', 'iloveyou123', 'abc1234567', 'abcd123456', 'abcdefghij', 'abc123abc123', 'aa123456789', 'qq123456789',
  'woaini1314', 'woaini520', '5201314520', '1314520520', 'woaini123456', 'wodemima123', 'zhang123456', 'wang123456789',
  'li123456789', 'admin12345', 'admin123456', 'administrator', 'welcome123', 'letmein123', 'changeme123', 'changeme1234',
  'football123', 'baseball123', 'dragon1234', 'monkey12345', 'sunshine123', 'princess123', 'superman123', 'starwars123',
  'trustno1trustno1', 'whatever123', 'computer123', 'internet123', 'teacher123', 'teacher1234', 'student123', 'student1234',
  'school1234', 'school12345', 'tongke1234', 'tongke12345', 'tongke2026', 'tongke123456', 'classroom1', 'classroom123',
]);

/** Why a password is refused, or null. */
export function passwordProblem(field: string, value: unknown): string | null {
  if (typeof value !== 'string') return `${field} must be a string`;
  if (Array.from(value).length < PASSWORD_MIN_LENGTH) return `${field} must be at least ${PASSWORD_MIN_LENGTH} characters long`;
  if (value.length > 200) return `${field} must be at most 200 characters long`;
  const plain = value.toLowerCase().replace(/\s+/g, '');
  // One character (a code point: an emoji is one), repeated or not, among spaces or not; or spaces alone.
  if (COMMON.has(plain) || /^(.)\1*$/u.test(plain) || plain === '') return `${field} is one of the most common passwords; choose another`;
  return null;
}

/** A password someone will log in with: at least 10 characters, not one of the most common ones. */
export function IsAcceptablePassword(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAcceptablePassword',
      validator: {
        validate: (value: unknown, args) => passwordProblem(args?.property ?? 'password', value) === null,
        defaultMessage: (args) => passwordProblem(args!.property, args!.value) ?? '',
      },
    },
    options,
  );
}
