// legal.js: the pages every public service must have, readable without
// signing in: the accessibility statement (AgID guidelines, L. 4/2004) and the
// privacy notice (GDPR art. 13).
import { h } from '../dom.js';
import { t } from '../i18n.js';

/** a11yView is the accessibility statement of the portal. */
export function a11yView() {
  return h('section', { class: 'legal' }, h('h1', {}, t('a11yTitle')),
    h('p', { class: 'lead' }, t('a11yIntro')),
    h('h2', {}, t('a11yStatusTitle')),
    h('div', { class: 'callout success' }, h('div', { class: 'callout-inner' },
      h('div', { class: 'callout-title' }, h('span', { class: 'text' }, t('a11yStatusLabel'))), h('p', {}, t('a11yStatus')))),
    h('h2', {}, t('a11yHowTitle')), h('p', {}, t('a11yHow')),
    h('h2', {}, t('a11yFeedbackTitle')), h('p', {}, t('a11yFeedback')),
    h('h2', {}, t('a11yEnforceTitle')), h('p', {}, t('a11yEnforce')));
}

/** privacyView is the privacy notice of the portal. */
export function privacyView() {
  return h('section', { class: 'legal' }, h('h1', {}, t('privacyTitle')),
    h('p', { class: 'lead' }, t('privacyIntro')),
    h('h2', {}, t('privacyWhoTitle')), h('p', {}, t('privacyWho')),
    h('h2', {}, t('privacyWhatTitle')), h('p', {}, t('privacyWhat')),
    h('h2', {}, t('privacyRightsTitle')), h('p', {}, t('privacyRights')));
}
