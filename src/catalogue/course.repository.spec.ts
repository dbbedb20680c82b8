import { likePattern } from './course.repository.js';

describe(likePattern.name, () => {
  it('wraps the text for a substring match', () => {
    expect(likePattern('分数')).toBe('%分数%');
  });

  it('escapes LIKE wildcards and the escape character', () => {
    expect(likePattern('100%_a\\b')).toBe('%100\\%\\_a\\\\b%');
  });
});
