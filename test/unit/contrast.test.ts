import { describe, expect, it } from 'vitest';
import { contrastRatio, contrastWarnings, configContrastWarnings } from '../../server/src/config/contrast';
import { validateConfig } from '../../server/src/config/load';

describe('WCAG contrast of the owner colours', () => {
  it('computes the ratios WCAG publishes', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    // the classic borderline grey: #767676 on white is 4.54:1
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#ffffff', '#767676')).toBe(contrastRatio('#767676', '#ffffff'));
  });

  it('passes a readable theme and names each failing pair with its path and ratio', () => {
    expect(contrastWarnings({ primary: '#1d4ed8', onPrimary: '#ffffff' })).toEqual([]);
    const yellow = contrastWarnings({ primary: '#facc15', onPrimary: '#ffffff' }, 'sites.shop.theme');
    expect(yellow).toHaveLength(2);
    expect(yellow[0]).toMatch(/^sites\.shop\.theme\.onPrimary: #ffffff on #facc15 has a contrast of 1\.\d\d:1, below WCAG AA's 4\.5:1/);
    expect(yellow[1]).toMatch(/^sites\.shop\.theme\.primary: #facc15 on the light panel/);
  });

  it('checks links against the dark panel in dark mode, and against both in auto', () => {
    const navy = { primary: '#1e3a8a', onPrimary: '#ffffff' };
    expect(contrastWarnings({ ...navy, mode: 'light' })).toEqual([]);
    expect(contrastWarnings({ ...navy, mode: 'dark' })[0]).toMatch(/dark panel/);
    expect(contrastWarnings({ ...navy, mode: 'auto' })).toHaveLength(1);
  });

  it('lists every site of a config', () => {
    const config = validateConfig({
      sites: { good: { name: 'Good' }, bad: { name: 'Bad', theme: { primary: '#eeeeee', onPrimary: '#ffffff' } } },
    });
    const warnings = configContrastWarnings(config);
    expect(warnings.length).toBe(2);
    expect(warnings.every((w) => w.startsWith('sites.bad.theme.'))).toBe(true);
  });
});
