import { describe, expect, it } from 'vitest';
import { isStatusError } from '../status.ts';
import { labelSelectorFromSpec, parseLabelSelector } from './label-selector.ts';

const labels = { app: 'web', tier: 'front', version: '3' };

describe('parseLabelSelector', () => {
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (web,db)', true],
    ['app in (db)', false],
    ['app notin (db)', true],
    ['missing notin (db)', true],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['app=web,tier=front', true],
    ['app=web,tier=back', false],
    ['version>2', true],
    ['version<2', false],
    ['app in (web, db), !missing', true],
    ['tier in (,front)', true],
  ])('%s matches %s', (selector, expected) => {
    expect(parseLabelSelector(selector).matches(labels)).toBe(expected);
  });

  it('accepts prefixed keys and empty values', () => {
    expect(parseLabelSelector('example.com/role=').matches({ 'example.com/role': '' })).toBe(true);
  });

  it.each(['app=web,', 'app in web', 'app in (web', '-bad=x', 'app=bad value', 'a/b/c=x', 'version>two', '=web'])(
    'rejects %s with 400 BadRequest',
    (selector) => {
      try {
        parseLabelSelector(selector);
        expect.unreachable();
      } catch (err) {
        expect(isStatusError(err) && err.code).toBe(400);
        expect(isStatusError(err) && err.status.message).toMatch(/^unable to parse requirement: /);
      }
    },
  );

  it('renders selectors back as strings', () => {
    expect(parseLabelSelector('app=web, tier notin (b,a)').toString()).toBe('app=web,tier notin (a,b)');
  });
});

describe('labelSelectorFromSpec', () => {
  it('combines sorted matchLabels and matchExpressions', () => {
    const selector = labelSelectorFromSpec({
      matchLabels: { tier: 'front', app: 'web' },
      matchExpressions: [
        { key: 'version', operator: 'In', values: ['3'] },
        { key: 'x', operator: 'DoesNotExist' },
      ],
    });
    expect(selector.toString()).toBe('app=web,tier=front,version in (3),!x');
    expect(selector.matches(labels)).toBe(true);
  });

  it('an empty selector matches everything', () => {
    expect(labelSelectorFromSpec({}).matches({})).toBe(true);
  });
});
