import { describe, expect, it } from 'vitest';
import { TEMPLATE_VARIABLES, parseTemplate, renderTemplate, templateProblems } from '../../../server/src/domain/templates';

describe('rendering templates', () => {
  it.each([
    ['Hi {{contact.name | "there"}}!', { 'contact.name': 'Ana' }, 'Hi Ana!'],
    ['Hi {{contact.name | "there"}}!', {}, 'Hi there!'],
    ['Hi {{contact.name | "there"}}!', { 'contact.name': null }, 'Hi there!'],
    ['Hi {{contact.name | "there"}}!', { 'contact.name': '   ' }, 'Hi there!'],
    ["Hi {{ contact.name|'friend' }}!", {}, 'Hi friend!'],
    ['Hi {{contact.name | "друг"}}!', {}, 'Hi друг!'],
    ['Hi {{contact.name}}!', {}, 'Hi !'],
    ['Hi {{contact.name | ""}}!', {}, 'Hi !'],
    ['You are number {{queue.position}}', { 'queue.position': 3 }, 'You are number 3'],
    ['{{business.name}} · {{business.hours}}', { 'business.name': 'Northwind', 'business.hours': 'Mon–Fri 09:00–18:00' }, 'Northwind · Mon–Fri 09:00–18:00'],
    ['你好，{{contact.name | "朋友"}}', { 'contact.name': '李雷' }, '你好，李雷'],
    ['no variables at all', { 'contact.name': 'Ana' }, 'no variables at all'],
  ])('%s with %j is %s', (template, values, expected) => {
    expect(renderTemplate(template, values)).toBe(expected);
  });

  it('inserts HTML in values as the same characters, neither escaped nor dropped', () => {
    const name = '<img src=x onerror=alert(1)> & "Ana"';
    expect(renderTemplate('Hi {{contact.name}}!', { 'contact.name': name })).toBe(`Hi ${name}!`);
  });

  it('does not expand placeholders that arrive inside values', () => {
    expect(renderTemplate('Hi {{contact.name}}', { 'contact.name': '{{business.name}}', 'business.name': 'Secret' })).toBe('Hi {{business.name}}');
  });

  it('splits a template into text and placeholders', () => {
    expect(parseTemplate('a {{team.name | "b"}} c')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'variable', name: 'team.name', fallback: 'b', source: '{{team.name | "b"}}' },
      { kind: 'text', text: ' c' },
    ]);
  });
});

describe('checking templates', () => {
  it.each([
    ['Hi {{contact.name | "there"}}', []],
    [TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(' '), []],
    ['Hi {{contact.nmae}}', ['unknown variable {{contact.nmae}}']],
    ['{{password}} and {{contact.name}}', ['unknown variable {{password}}']],
    ['Hi {{contact.name}', ['malformed placeholder']],
    ['Hi {{ contact.name | there }}', ['malformed placeholder']],
    ['{{a.b}} {{c.d}}', ['unknown variable {{a.b}}', 'unknown variable {{c.d}}']],
  ])('%s has problems %j', (template, expected) => {
    const found = templateProblems(template);
    expect(found.length).toBe(expected.length);
    expected.forEach((start, i) => expect(found[i]).toContain(start));
  });
});
