// i18n.js: the portal's texts, Italian first, English on request. The choice
// is remembered in the browser and sent to the API as Accept-Language, so the
// server's messages (field errors, status labels) follow it.

const dict = {
  it: {
    // Status labels as pratica.Status.Label gives them (the list API carries only the status).
    st_draft: 'Bozza',
    st_payment_pending: 'In attesa di pagamento',
    st_payment_success: 'Pagamento ricevuto',
    st_payment_failed: 'Pagamento non riuscito',
    st_submitted: 'Inviata',
    st_registered: 'Protocollata',
    st_in_charge: 'Presa in carico',
    st_integration_requested: 'Integrazione richiesta',
    st_processing: 'In lavorazione',
    st_needs_attention: 'In verifica dopo un errore',
    st_submitted_after_integration: 'Inviata dopo integrazione',
    st_completed: 'Conclusa',
    st_rejected: 'Respinta',
    st_withdrawn: 'Ritirata',
    st_revoked: 'Annullata',
    appName: 'Sportello', tagline: 'Servizi online degli enti del Friuli Venezia Giulia',
    skip: 'Vai al contenuto', login: 'Accedi', logout: 'Esci', switchLang: 'English', switchLangLabel: 'Switch to English',
    navServices: 'Servizi', navMine: 'Le mie pratiche', navInbox: 'Attività', navPratiche: 'Pratiche dell\'ente',
    navModeler: 'Modellatore', navOverlays: 'Personalizzazioni', navMonitoring: 'Monitoraggio',
    loading: 'Caricamento…', error: 'Errore', notFound: 'Pagina non trovata', back: 'Indietro',
    welcomeTitle: 'Benvenuto nello Sportello', welcomeText: 'Accedi con SPID, CIE o eIDAS per presentare e seguire le tue pratiche.',
    signedAs: 'Accesso come', role_citizen: 'cittadino', role_operator: 'operatore', role_designer: 'progettista',
    'role_ente-admin': 'amministratore dell\'ente', 'role_regional-admin': 'amministratore regionale',
    servicesTitle: 'Servizi degli enti', servicesOf: 'Servizi', start: 'Avvia online', frontDeskOnly: 'Solo allo sportello',
    notOnline: 'Non avviabile online', channels: 'Canali', contacts: 'Contatti',
    ch_web: 'web', ch_app: 'app', ch_sportello: 'sportello', ch_telefono: 'telefono', ch_pec: 'PEC', ch_email: 'e-mail',
    startTitle: 'Nuova pratica', submit: 'Invia la richiesta', sending: 'Invio in corso…',
    formErrors: 'Correggi i campi indicati', required: 'obbligatorio', choose: '— scegli —', yes: 'Sì',
    created: 'Pratica inviata', mineTitle: 'Le mie pratiche', none: 'Nessuna pratica', openDetail: 'Apri',
    colService: 'Servizio', colStatus: 'Stato', colCreated: 'Presentata', colUpdated: 'Aggiornata', colDeadline: 'Scadenza',
    colOwner: 'Richiedente', colTask: 'Attività', colPratica: 'Pratica', colState: 'Stato attività', colActions: 'Azioni',
    detailTitle: 'Pratica', status: 'Stato', holder: 'In carico a', holderCitizen: 'a te (cittadino)', holderNone: '—',
    deadline: 'Termine di legge', daysLeft: 'giorni rimasti', daysLate: 'giorni oltre il termine', suspended: 'Termine sospeso (in attesa di integrazione)',
    timeline: 'Cronologia', payments: 'Pagamenti', messages: 'Messaggi inviati', noPayments: 'Nessun pagamento',
    noMessages: 'Nessun messaggio', noticeNumber: 'Numero avviso', amount: 'Importo', dueDate: 'Scadenza', pay: 'Paga con pagoPA',
    noticePdf: 'Avviso PDF', paid: 'Pagato', unpaid: 'Da pagare', actionsNow: 'Azioni possibili', data: 'Dati inviati',
    overdue: 'Scaduto, ancora pagabile', superseded: 'Non più pagabile (scelto l\'altro modo di pagare)', closed: 'Annullato',
    act_withdraw: 'Ritira la pratica', act_integrate: 'Invia integrazione', act_take_charge: 'Prendi in carico',
    act_acknowledge: 'Presa visione', act_approve: 'Approva', act_reject: 'Respingi', act_request_integration: 'Chiedi integrazione',
    act_reassign: 'Riassegna', act_revoke: 'Annulla', act_submit: 'Invia',
    act_retry: 'Riprova il passo', act_skip: 'Salta il passo', act_cancel: 'Annulla la pratica', confirmWithdraw: 'Vuoi davvero ritirare la pratica?',
    task_open: 'da prendere in carico', task_claimed: 'in lavorazione', task_done: 'completata', task_cancelled: 'annullata',
    done: 'Fatto', inboxTitle: 'Attività da lavorare', inboxEmpty: 'Nessuna attività aperta', claim: 'Prendi in carico', claimedBy: 'presa da',
    complete: 'Completa', outcome: 'Esito', reason: 'Motivazione', reasonHelp: 'Obbligatoria per alcuni esiti (es. rifiuto, richiesta di integrazione)',
    praticheTitle: 'Pratiche dell\'ente', integrateTitle: 'Integrazione richiesta', integrateText: 'L\'ufficio ha chiesto di completare o correggere i dati. Modifica il modulo e invia.',
    modelerTitle: 'Modellatore', templates: 'Modelli di pratica', forms: 'Moduli', version: 'Versione', colId: 'Identificativo',
    colTitle: 'Titolo', colHash: 'Hash', problems: 'Problemi', edit: 'Modifica', document: 'Documento (JSON)', saveDraft: 'Salva bozza',
    validate: 'Valida', publish: 'Pubblica', versions: 'Versioni', diff: 'Differenze', from: 'da', to: 'a', showDiff: 'Mostra differenze',
    valid: 'Nessun problema', invalidJSON: 'JSON non valido', saved: 'Bozza salvata', published: 'Pubblicato', breaking: 'Modifica incompatibile',
    fieldsAdded: 'Campi aggiunti', fieldsRemoved: 'Campi rimossi', fieldsRequired: 'Campi resi obbligatori', stepsAdded: 'Passi aggiunti',
    stepsRemoved: 'Passi rimossi', stepsChanged: 'Passi modificati', noDiff: 'Nessuna differenza', newTemplate: 'Nuovo modello',
    navRoles: 'Ruoli', rolesTitle: 'Ruoli del personale', rolesNone: 'Nessun ruolo assegnato', rolesPerson: 'Persona',
    rolesPersonHelp: 'Codice fiscale (anche TINIT-…) o identificativo eIDAS «paese-codice», es. ES-12345678Z',
    rolesRole: 'Ruolo', rolesOffices: 'Uffici', rolesOfficesHelp: 'Nessun ufficio scelto: tutti gli uffici dell\'ente',
    rolesAllOffices: 'tutti', rolesGrantedBy: 'Assegnato da', rolesGrantedAt: 'Il', rolesGrant: 'Assegna', rolesAdd: 'Assegna un ruolo',
    rolesRevoke: 'Revoca', actAs: 'Agisci come', actAsCitizen: 'cittadino (le mie pratiche)',
    overlaysTitle: 'Personalizzazioni dell\'ente', overlayNone: 'Nessuna personalizzazione', baseVersion: 'Versione di base',
    overlayLive: 'In uso sulle nuove pratiche', overlayNeedsReview: 'Da rivedere: la nuova versione regionale non accetta questi valori',
    regionalChanges: 'Cosa è cambiato nel modello regionale:', stepChanged: 'passo modificato:', stepAdded: 'passo aggiunto:', stepRemoved: 'passo rimosso:', values: 'Valori',
    monitoringTitle: 'Monitoraggio dell\'accordo', downloadCsv: 'Scarica CSV', colEnte: 'Ente', colServices: 'Servizi', colIncasso: 'Servizi di incasso',
    colActive: 'Attivi su pagoPA', colPercent: '% pagoPA', colTarget: 'Obiettivo 70%', colAppIO: 'Servizi su App IO', colIOTarget: 'Obiettivo IO',
    colInactive: 'Non ancora attivi', total: 'Totale regionale', no: 'No', forbidden: 'Non hai accesso a questa pagina',
  },
  en: {
    st_draft: 'Draft',
    st_payment_pending: 'Awaiting payment',
    st_payment_success: 'Payment received',
    st_payment_failed: 'Payment failed',
    st_submitted: 'Submitted',
    st_registered: 'Registered',
    st_in_charge: 'Taken in charge',
    st_integration_requested: 'Integration requested',
    st_processing: 'Processing',
    st_needs_attention: 'Needs attention after a failure',
    st_submitted_after_integration: 'Submitted after integration',
    st_completed: 'Completed',
    st_rejected: 'Rejected',
    st_withdrawn: 'Withdrawn',
    st_revoked: 'Revoked',
    appName: 'Sportello', tagline: 'Online services of the local authorities of Friuli Venezia Giulia',
    skip: 'Skip to content', login: 'Sign in', logout: 'Sign out', switchLang: 'Italiano', switchLangLabel: 'Passa all\'italiano',
    navServices: 'Services', navMine: 'My requests', navInbox: 'Tasks', navPratiche: 'Ente\'s requests',
    navModeler: 'Modeller', navOverlays: 'Overlays', navMonitoring: 'Monitoring',
    loading: 'Loading…', error: 'Error', notFound: 'Page not found', back: 'Back',
    welcomeTitle: 'Welcome to Sportello', welcomeText: 'Sign in with SPID, CIE or eIDAS to submit and track your requests.',
    signedAs: 'Signed in as', role_citizen: 'citizen', role_operator: 'operator', role_designer: 'designer',
    'role_ente-admin': 'ente administrator', 'role_regional-admin': 'regional administrator',
    servicesTitle: 'Services of the enti', servicesOf: 'Services', start: 'Start online', frontDeskOnly: 'Front desk only',
    notOnline: 'Cannot be started online', channels: 'Channels', contacts: 'Contacts',
    ch_web: 'web', ch_app: 'app', ch_sportello: 'front desk', ch_telefono: 'phone', ch_pec: 'PEC', ch_email: 'e-mail',
    startTitle: 'New request', submit: 'Send the request', sending: 'Sending…',
    formErrors: 'Please correct the fields below', required: 'required', choose: '— choose —', yes: 'Yes',
    created: 'Request sent', mineTitle: 'My requests', none: 'No requests', openDetail: 'Open',
    colService: 'Service', colStatus: 'Status', colCreated: 'Submitted', colUpdated: 'Updated', colDeadline: 'Deadline',
    colOwner: 'Applicant', colTask: 'Task', colPratica: 'Request', colState: 'Task state', colActions: 'Actions',
    detailTitle: 'Request', status: 'Status', holder: 'Held by', holderCitizen: 'you (citizen)', holderNone: '—',
    deadline: 'Legal deadline', daysLeft: 'days left', daysLate: 'days past the deadline', suspended: 'Deadline suspended (awaiting integration)',
    timeline: 'Timeline', payments: 'Payments', messages: 'Messages sent', noPayments: 'No payments',
    noMessages: 'No messages', noticeNumber: 'Notice number', amount: 'Amount', dueDate: 'Due date', pay: 'Pay with pagoPA',
    noticePdf: 'PDF notice', paid: 'Paid', unpaid: 'To pay', actionsNow: 'What you can do now', data: 'Data sent',
    overdue: 'Overdue, still payable', superseded: 'No longer payable (the other way of paying was chosen)', closed: 'Cancelled',
    act_withdraw: 'Withdraw the request', act_integrate: 'Send integration', act_take_charge: 'Take charge',
    act_acknowledge: 'Acknowledge', act_approve: 'Approve', act_reject: 'Reject', act_request_integration: 'Request integration',
    act_reassign: 'Reassign', act_revoke: 'Revoke', act_submit: 'Submit',
    act_retry: 'Retry the step', act_skip: 'Skip the step', act_cancel: 'Cancel the pratica', confirmWithdraw: 'Do you really want to withdraw the request?',
    task_open: 'open', task_claimed: 'in progress', task_done: 'done', task_cancelled: 'cancelled',
    done: 'Done', inboxTitle: 'Tasks to work', inboxEmpty: 'No open tasks', claim: 'Claim', claimedBy: 'claimed by',
    complete: 'Complete', outcome: 'Outcome', reason: 'Reason', reasonHelp: 'Required for some outcomes (e.g. rejection, integration request)',
    praticheTitle: 'Ente\'s requests', integrateTitle: 'Integration requested', integrateText: 'The office asked you to complete or correct your data. Edit the form and send it.',
    modelerTitle: 'Modeller', templates: 'Templates', forms: 'Forms', version: 'Version', colId: 'Id',
    colTitle: 'Title', colHash: 'Hash', problems: 'Problems', edit: 'Edit', document: 'Document (JSON)', saveDraft: 'Save draft',
    validate: 'Validate', publish: 'Publish', versions: 'Versions', diff: 'Differences', from: 'from', to: 'to', showDiff: 'Show differences',
    valid: 'No problems', invalidJSON: 'Invalid JSON', saved: 'Draft saved', published: 'Published', breaking: 'Breaking change',
    fieldsAdded: 'Fields added', fieldsRemoved: 'Fields removed', fieldsRequired: 'Fields made required', stepsAdded: 'Steps added',
    stepsRemoved: 'Steps removed', stepsChanged: 'Steps changed', noDiff: 'No differences', newTemplate: 'New template',
    navRoles: 'Roles', rolesTitle: 'Staff roles', rolesNone: 'No role assigned', rolesPerson: 'Person',
    rolesPersonHelp: 'Codice fiscale (TINIT-… too) or eIDAS identifier "country-id", e.g. ES-12345678Z',
    rolesRole: 'Role', rolesOffices: 'Offices', rolesOfficesHelp: 'No office chosen: every office of the ente',
    rolesAllOffices: 'all', rolesGrantedBy: 'Granted by', rolesGrantedAt: 'On', rolesGrant: 'Assign', rolesAdd: 'Assign a role',
    rolesRevoke: 'Revoke', actAs: 'Act as', actAsCitizen: 'citizen (my pratiche)',
    overlaysTitle: 'Overlays of the ente', overlayNone: 'No overlay', baseVersion: 'Base version',
    overlayLive: 'Used by new pratiche', overlayNeedsReview: 'Needs review: the new regional version does not accept these values',
    regionalChanges: 'What changed in the regional template:', stepChanged: 'step changed:', stepAdded: 'step added:', stepRemoved: 'step removed:', values: 'Values',
    monitoringTitle: 'Monitoring of the agreement', downloadCsv: 'Download CSV', colEnte: 'Ente', colServices: 'Services', colIncasso: 'Collection services',
    colActive: 'Active on pagoPA', colPercent: '% pagoPA', colTarget: '70% target', colAppIO: 'Services on App IO', colIOTarget: 'IO target',
    colInactive: 'Not active yet', total: 'Regional total', no: 'No', forbidden: 'You have no access to this page',
  },
};

let current = localStorage.getItem('sportello.lang') === 'en' ? 'en' : 'it';

/** lang is the current language, "it" or "en". */
export function lang() { return current; }

/** setLang changes the language and remembers it. */
export function setLang(l) {
  current = l === 'en' ? 'en' : 'it';
  localStorage.setItem('sportello.lang', current);
  document.documentElement.lang = current;
}

/** t is the text of key in the current language. */
export function t(key) {
  return dict[current][key] ?? dict.it[key] ?? key;
}

/** tx picks the current language from a {it, en} text of the server. */
export function tx(text) {
  if (!text) return '';
  if (typeof text === 'string') return text;
  return text[current] || text.it || text.en || '';
}

/** actionLabel names an action ("citizen:withdraw" or "withdraw"). */
export function actionLabel(action) {
  const name = action.includes(':') ? action.split(':')[1] : action;
  const k = 'act_' + name;
  return dict[current][k] ? t(k) : name.replace(/_/g, ' ');
}

/** statusLabel names a pratica status. */
export function statusLabel(status) {
  const k = 'st_' + status;
  return dict[current][k] ? t(k) : status;
}
