// Issue 12: an answer must mean what the person said. Every question is worded so that its
// natural "yes" means the sign is there (the answer buttons say so: "Yes – the sign is there").
// These checks catch the wordings that broke that rule: a question about being able to do
// something ("Could you go out on your own?"), about things being as agreed ("Were you paid what
// was agreed?"), an open question with no yes or no ("What happened to the money?"), an
// either/or ("…yourself, or does someone else keep it?"), or two questions in one.
import { describe, expect, it } from 'vitest';
import type { Indicator } from './bindings/Indicator';
import { catalogs, LOCALES, type Locale } from './i18n/translate';
import { INDICATOR_TEXT } from './labels';

const RULES: Record<Locale, { leads: RegExp; eitherOr: RegExp }> = {
  en: {
    leads:
      /^(What|How|Where|Who|Which|Why|Could you|Can you|Were you able|Were you allowed|Did you get to|Do you have your|Are you paid|Were you paid what)\b|what you were promised\?/,
    // "or" joining two signs is fine ("…or has someone else taken your pay?"); an either/or
    // offers the sign's absence as the other choice.
    eitherOr: /\bor not\?|\bor (did|does) someone (else )?(take|keep)\b/,
  },
  fi: {
    leads:
      /^(Mitä|Miten|Kuinka|Missä|Milloin|Kuka|Mikä|Miksi|Montako|Pystyitkö|Pystytkö|Voitko|Voitteko|Voitko|Saitko|Saatko|Pääsitkö|Onko passi|Maksettiinko sinulle sovittu)|sellaisia kuin .*luvattiin/,
    eitherOr: /\bvai\b/,
  },
  sv: {
    leads:
      /^(Vad|Hur|Vem|Vilk|Varför|Var sov|Kunde du|Kan du|Fick du|Får du|Har du ditt)\b|det som du blev lovad/,
    eitherOr: /\beller inte\?|\beller (är det|tog) någon( annan)?\b/,
  },
};

function problems(locale: Locale, question: string): string[] {
  const found: string[] = [];
  const marks = question.split('?').length - 1;
  if (marks !== 1) found.push(`${marks} question marks: ask one thing at a time`);
  if (RULES[locale].leads.test(question)) found.push('its natural "yes" does not mean the sign is there');
  if (RULES[locale].eitherOr.test(question)) found.push('an either/or question has no yes or no');
  return found;
}

describe('every question’s "yes" means the sign is there', () => {
  const indicators = Object.keys(INDICATOR_TEXT) as Indicator[];

  it.each(LOCALES)('%s: every indicator has a yes/no question with no reversed meaning', (locale) => {
    for (const indicator of indicators) {
      const question = catalogs[locale][INDICATOR_TEXT[indicator][1]];
      expect(problems(locale, question), `${locale} ${indicator}: ${question}`).toEqual([]);
    }
  });

  it('the answer buttons name what they record', () => {
    for (const locale of LOCALES) {
      expect(catalogs[locale]['answer.yes']).not.toBe(catalogs[locale]['answer.no']);
      expect(catalogs[locale]['answer.yes'].length).toBeGreaterThan(6);
      expect(catalogs[locale]['answer.declined']).not.toBe(catalogs[locale]['answer.not_discussed']);
    }
  });

  // The wordings the caseworkers' review found recording the opposite: the checks must catch them.
  it.each([
    ['en', 'Could you go out on your own when you were not working?'],
    ['en', 'Were you paid what was agreed, and on time?'],
    ['en', 'What happened to the money people gave you?'],
    ['en', 'Do you have your passport or ID card yourself, or does someone else keep it?'],
    ['en', 'Could you keep the money you earned, or did someone take it?'],
    ['en', 'Was the work, the pay or the place what you were promised?'],
    ['en', 'Do you live in the home where you work? Can you leave the house when you want to?'],
    ['en', 'Are you paid for the work in the home, and do you decide over that money?'],
    ['en', 'Were you paid on time or not?'],
    ['fi', 'Pystyitkö lähtemään ulos omin päin silloin, kun et ollut töissä?'],
    ['fi', 'Onko passi tai henkilökortti sinulla itselläsi, vai pitääkö joku muu sitä hallussaan?'],
    ['fi', 'Maksettiinko sinulle sovittu palkka ajallaan?'],
    ['fi', 'Mitä tapahtui rahoille, joita sait ihmisiltä?'],
    ['fi', 'Saatko palkkaa kotona tekemästäsi työstä, ja päätätkö itse niistä rahoista?'],
    ['fi', 'Olivatko työ, palkka tai paikka sellaisia kuin sinulle luvattiin ennen tuloasi?'],
    ['sv', 'Kunde du gå ut på egen hand när du inte arbetade?'],
    ['sv', 'Har du ditt pass eller id-kort själv, eller är det någon annan som har det?'],
    ['sv', 'Fick du betalt det som avtalats, och i tid?'],
    ['sv', 'Vad hände med pengarna som folk gav dig?'],
    ['sv', 'Var arbetet, lönen eller platsen det som du blev lovad innan du kom?'],
  ] as [Locale, string][])('%s catches "%s"', (locale, question) => {
    expect(problems(locale, question)).not.toEqual([]);
  });
});
