// i18n.js: the portal's texts: Italian first, English and Slovenian (the
// language of the Slovenian minority of Friuli Venezia Giulia) on request. The choice
// is remembered in the browser and sent to the API as Accept-Language, so the
// server's messages (field errors, status labels) follow it.

const dict = {
  it: {
    doc_draft: 'bozza', doc_published: 'pubblicato', doc_archived: 'archiviato', doc_superseded: 'sostituito',
    holderOffice: 'Ufficio competente',
    newTemplateHint: 'es. nuovo-servizio',
    ev_submitted: 'Pratica inviata', ev_form_requested: 'In attesa dei dati', ev_form_submitted: 'Dati inviati', ev_payment_requested: 'Avviso di pagamento emesso', ev_payment_received: 'Pagamento ricevuto', ev_installment_received: 'Rata pagata', ev_payment_expired: 'Avviso scaduto senza pagamento', ev_message_sent: 'Messaggio inviato', ev_message_failed: 'Messaggio non inviato', ev_taken_in_charge: 'Pratica presa in carico dall\'ufficio', ev_reassigned: 'Pratica assegnata a un altro ufficio', ev_task_completed: 'Attività completata', ev_integration_requested: 'Integrazione richiesta; termine sospeso', ev_integration_submitted: 'Integrazione inviata; il termine riprende', ev_deadline_started: 'Decorre il termine del procedimento', ev_deadline_expired: 'Termine scaduto: la pratica passa al titolare del potere sostitutivo', ev_ledger_posted: 'Scrittura contabile registrata', ev_accertamento: 'Accertamento registrato', ev_refund_requested: 'Rimborso richiesto', ev_closed: 'Pratica chiusa', ev_needs_attention: 'Un passo non è riuscito: un operatore deve intervenire',
    home: 'Home', menu: 'Menu', navLabel: 'Menu principale', breadcrumbLabel: 'Percorso di navigazione', langLabel: 'Lingua',
    regionName: 'Regione Autonoma Friuli Venezia Giulia', enteUnknown: 'Ente', contactsNone: 'Contatti non disponibili',
    footerInfo: 'Informazioni', openData: 'API e dati aperti', footerNote: 'Sportello unico dei servizi degli enti locali',
    contact_email: 'E-mail', contact_pec: 'PEC', contact_telefono: 'Telefono', contact_url: 'Sito', contact_sportello: 'Sportello',
    privacyTitle: 'Informativa sulla privacy', privacyIntro: 'Come l\'ente tratta i dati personali che fornisci usando lo Sportello (art. 13 del Regolamento UE 2016/679).',
    privacyWhoTitle: 'Titolare del trattamento', privacyWho: 'Il titolare è l\'ente a cui presenti la pratica; la Regione gestisce la piattaforma come responsabile del trattamento.',
    privacyWhatTitle: 'Quali dati e perché', privacyWhat: 'Trattiamo i dati dell\'identità digitale, i dati del modulo e dei pagamenti solo per svolgere il procedimento richiesto e per gli obblighi di legge.',
    privacyRightsTitle: 'I tuoi diritti', privacyRights: 'Puoi chiedere accesso, rettifica o cancellazione dei tuoi dati al titolare e presentare reclamo al Garante per la protezione dei dati personali.',
    a11yTitle: 'Dichiarazione di accessibilità', a11yIntro: 'La Regione e gli enti si impegnano a rendere lo Sportello accessibile, come chiedono la legge 4/2004 e le linee guida AgID.',
    a11yStatusTitle: 'Stato di conformità', a11yStatusLabel: 'Conforme', a11yStatus: 'Ogni pagina è verificata automaticamente con axe-core, su schermo largo e su telefono, e si usa da tastiera.',
    a11yHowTitle: 'Come è stata redatta', a11yHow: 'Con una verifica automatica a ogni modifica del portale e con prove manuali da tastiera e con lettore di schermo.',
    a11yFeedbackTitle: 'Segnalazioni', a11yFeedback: 'Se trovi una parte non accessibile scrivi all\'ente usando i contatti in fondo alla pagina: risponderà entro 30 giorni.',
    a11yEnforceTitle: 'Procedura di attuazione', a11yEnforce: 'Se la risposta non ti soddisfa puoi rivolgerti al Difensore civico per il digitale presso AgID.',
    stepSent: 'Inviata', stepPaid: 'Pagata', stepWorked: 'In lavorazione', stepClosed: 'Conclusa', stepperLabel: 'Avanzamento della pratica',
    yourRequest: 'La tua richiesta', msg_sent: 'inviato', msg_failed: 'non inviato', msg_pending: 'in invio', msg_queued: 'in coda', msg_delivered: 'consegnato', msg_processed: 'inviato',
    notified: 'Notifica', office: 'Ufficio', step: 'Passo', via: 'tramite',
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
    skip: 'Vai al contenuto', login: 'Accedi', logout: 'Esci',
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
    chartData: 'Dati del grafico', chartEnti: 'Servizi di incasso attivi su pagoPA per ente', chartEntiSummary: '{met} enti su {n} raggiungono l\'obiettivo del 70%',
    chartTrend: 'Servizi attivi su pagoPA, mese per mese', chartTrendSummary: 'Ultimo mese: {pct}, obiettivo 70%', chartPayments: 'Pagamenti e avvisi emessi per mese',
    chartPaymentsSummary: 'Totale pagato negli ultimi 12 mesi: {total}', colMonth: 'Mese', colIssued: 'Avvisi emessi', colPaid: 'Pagamenti', colPaidEuro: 'Importo pagato',
    downloadTrendCsv: 'Scarica l\'andamento (CSV)', allEnti: 'Tutti gli enti', filter: 'Filtra',
    monitoringTitle: 'Monitoraggio dell\'accordo', downloadCsv: 'Scarica CSV', colEnte: 'Ente', colServices: 'Servizi', colIncasso: 'Servizi di incasso',
    colActive: 'Attivi su pagoPA', colPercent: '% pagoPA', colTarget: 'Obiettivo 70%', colAppIO: 'Servizi su App IO', colIOTarget: 'Obiettivo IO',
    colInactive: 'Non ancora attivi', total: 'Totale regionale', no: 'No', forbidden: 'Non hai accesso a questa pagina',
  },
  en: {
    doc_draft: 'draft', doc_published: 'published', doc_archived: 'archived', doc_superseded: 'superseded',
    holderOffice: 'Competent office',
    newTemplateHint: 'e.g. new-service',
    ev_submitted: 'Request submitted', ev_form_requested: 'Waiting for data', ev_form_submitted: 'Data submitted', ev_payment_requested: 'Payment notice issued', ev_payment_received: 'Payment received', ev_installment_received: 'Installment paid', ev_payment_expired: 'Notice expired unpaid', ev_message_sent: 'Message sent', ev_message_failed: 'Message not sent', ev_taken_in_charge: 'Request taken in charge by the office', ev_reassigned: 'Request reassigned to another office', ev_task_completed: 'Task completed', ev_integration_requested: 'Integration requested; term suspended', ev_integration_submitted: 'Integration sent; the term resumes', ev_deadline_started: 'The term of the procedure starts', ev_deadline_expired: 'Term expired: the request goes to the holder of the substitute power', ev_ledger_posted: 'Accounting entry posted', ev_accertamento: 'Revenue assessment posted', ev_refund_requested: 'Refund requested', ev_closed: 'Request closed', ev_needs_attention: 'A step failed: an operator must act',
    home: 'Home', menu: 'Menu', navLabel: 'Main menu', breadcrumbLabel: 'Breadcrumb', langLabel: 'Language',
    regionName: 'Autonomous Region of Friuli Venezia Giulia', enteUnknown: 'Authority', contactsNone: 'No contacts available',
    footerInfo: 'Information', openData: 'API and open data', footerNote: 'One-stop shop of the services of the local authorities',
    contact_email: 'E-mail', contact_pec: 'Certified e-mail', contact_telefono: 'Phone', contact_url: 'Website', contact_sportello: 'Front desk',
    privacyTitle: 'Privacy notice', privacyIntro: 'How the authority handles the personal data you give while using Sportello (art. 13 of Regulation (EU) 2016/679).',
    privacyWhoTitle: 'Data controller', privacyWho: 'The controller is the authority you submit the request to; the Region runs the platform as data processor.',
    privacyWhatTitle: 'Which data and why', privacyWhat: 'We process your digital identity, the data of the form and of the payments only to carry out the procedure you asked for and to meet legal duties.',
    privacyRightsTitle: 'Your rights', privacyRights: 'You may ask the controller for access, correction or erasure of your data and complain to the Italian Data Protection Authority.',
    a11yTitle: 'Accessibility statement', a11yIntro: 'The Region and the authorities commit to making Sportello accessible, as Law 4/2004 and the AgID guidelines require.',
    a11yStatusTitle: 'Compliance status', a11yStatusLabel: 'Compliant', a11yStatus: 'Every page is checked automatically with axe-core, on a wide screen and on a phone, and works with the keyboard.',
    a11yHowTitle: 'How this statement was prepared', a11yHow: 'With an automatic check at every change of the portal and with manual tests by keyboard and screen reader.',
    a11yFeedbackTitle: 'Feedback', a11yFeedback: 'If you find a part that is not accessible, write to the authority with the contacts at the bottom of the page: it answers within 30 days.',
    a11yEnforceTitle: 'Enforcement procedure', a11yEnforce: 'If the answer does not satisfy you, you may turn to the Digital Ombudsman at AgID.',
    stepSent: 'Submitted', stepPaid: 'Paid', stepWorked: 'Processing', stepClosed: 'Closed', stepperLabel: 'Progress of the request',
    yourRequest: 'Your request', msg_sent: 'sent', msg_failed: 'not sent', msg_pending: 'sending', msg_queued: 'queued', msg_delivered: 'delivered', msg_processed: 'sent',
    notified: 'Notification', office: 'Office', step: 'Step', via: 'via',
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
    skip: 'Skip to content', login: 'Sign in', logout: 'Sign out',
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
    chartData: 'Chart data', chartEnti: 'Collection services active on pagoPA by ente', chartEntiSummary: '{met} of {n} enti meet the 70% target',
    chartTrend: 'Services active on pagoPA, month by month', chartTrendSummary: 'Last month: {pct}, target 70%', chartPayments: 'Payments and notices issued by month',
    chartPaymentsSummary: 'Total paid in the last 12 months: {total}', colMonth: 'Month', colIssued: 'Notices issued', colPaid: 'Payments', colPaidEuro: 'Amount paid',
    downloadTrendCsv: 'Download the trend (CSV)', allEnti: 'All enti', filter: 'Filter',
    monitoringTitle: 'Monitoring of the agreement', downloadCsv: 'Download CSV', colEnte: 'Ente', colServices: 'Services', colIncasso: 'Collection services',
    colActive: 'Active on pagoPA', colPercent: '% pagoPA', colTarget: '70% target', colAppIO: 'Services on App IO', colIOTarget: 'IO target',
    colInactive: 'Not active yet', total: 'Regional total', no: 'No', forbidden: 'You have no access to this page',
  },
  sl: {
    doc_draft: 'osnutek', doc_published: 'objavljeno', doc_archived: 'arhivirano', doc_superseded: 'nadomeščeno',
    holderOffice: 'Pristojni urad',
    newTemplateHint: 'npr. nova-storitev',
    ev_submitted: 'Vloga oddana', ev_form_requested: 'Čaka na podatke', ev_form_submitted: 'Podatki poslani', ev_payment_requested: 'Izdano obvestilo o plačilu', ev_payment_received: 'Plačilo prejeto', ev_installment_received: 'Obrok plačan', ev_payment_expired: 'Obvestilo je poteklo brez plačila', ev_message_sent: 'Sporočilo poslano', ev_message_failed: 'Sporočilo ni bilo poslano', ev_taken_in_charge: 'Urad je prevzel vlogo v obravnavo', ev_reassigned: 'Vloga dodeljena drugemu uradu', ev_task_completed: 'Naloga opravljena', ev_integration_requested: 'Zahtevana dopolnitev; rok zadržan', ev_integration_submitted: 'Dopolnitev poslana; rok teče naprej', ev_deadline_started: 'Začne teči rok postopka', ev_deadline_expired: 'Rok je potekel: vlogo prevzame nosilec nadomestne pristojnosti', ev_ledger_posted: 'Knjigovodski vpis evidentiran', ev_accertamento: 'Ugotovitev prihodka evidentirana', ev_refund_requested: 'Zahtevano vračilo', ev_closed: 'Vloga zaključena', ev_needs_attention: 'Korak ni uspel: ukrepati mora uslužbenec',
    home: 'Domov', menu: 'Meni', navLabel: 'Glavni meni', breadcrumbLabel: 'Drobtinice', langLabel: 'Jezik',
    regionName: 'Avtonomna dežela Furlanija - Julijska krajina', enteUnknown: 'Ustanova', contactsNone: 'Ni razpoložljivih kontaktov',
    footerInfo: 'Informacije', openData: 'API in odprti podatki', footerNote: 'Enotna vstopna točka za storitve lokalnih uprav',
    contact_email: 'E-pošta', contact_pec: 'Certificirana e-pošta', contact_telefono: 'Telefon', contact_url: 'Spletna stran', contact_sportello: 'Okence',
    privacyTitle: 'Obvestilo o varstvu osebnih podatkov', privacyIntro: 'Kako ustanova obdeluje osebne podatke, ki jih posredujete prek Sportella (13. člen Uredbe (EU) 2016/679).',
    privacyWhoTitle: 'Upravljavec', privacyWho: 'Upravljavec je ustanova, ki ji oddate vlogo; Dežela upravlja platformo kot obdelovalec.',
    privacyWhatTitle: 'Kateri podatki in zakaj', privacyWhat: 'Podatke digitalne identitete, obrazca in plačil obdelujemo samo za izvedbo zahtevanega postopka in za zakonske obveznosti.',
    privacyRightsTitle: 'Vaše pravice', privacyRights: 'Od upravljavca lahko zahtevate dostop, popravek ali izbris podatkov in vložite pritožbo pri italijanskem organu za varstvo podatkov.',
    a11yTitle: 'Izjava o dostopnosti', a11yIntro: 'Dežela in ustanove se zavezujejo, da bo Sportello dostopen, kot zahtevata zakon 4/2004 in smernice AgID.',
    a11yStatusTitle: 'Stanje skladnosti', a11yStatusLabel: 'Skladno', a11yStatus: 'Vsaka stran se samodejno preveri z orodjem axe-core, na širokem zaslonu in na telefonu, in deluje s tipkovnico.',
    a11yHowTitle: 'Kako je bila izjava pripravljena', a11yHow: 'S samodejnim preverjanjem ob vsaki spremembi portala ter z ročnimi preizkusi s tipkovnico in bralnikom zaslona.',
    a11yFeedbackTitle: 'Povratne informacije', a11yFeedback: 'Če najdete nedostopen del, pišite ustanovi prek kontaktov na dnu strani: odgovorila bo v 30 dneh.',
    a11yEnforceTitle: 'Izvršilni postopek', a11yEnforce: 'Če z odgovorom niste zadovoljni, se lahko obrnete na digitalnega varuha pri AgID.',
    stepSent: 'Oddana', stepPaid: 'Plačana', stepWorked: 'V obdelavi', stepClosed: 'Zaključena', stepperLabel: 'Potek vloge',
    yourRequest: 'Vaša vloga', msg_sent: 'poslano', msg_failed: 'ni poslano', msg_pending: 'pošiljanje', msg_queued: 'v čakalni vrsti', msg_delivered: 'dostavljeno', msg_processed: 'poslano',
    notified: 'Obvestilo', office: 'Urad', step: 'Korak', via: 'prek',
    st_draft: 'Osnutek',
    st_payment_pending: 'Čaka na plačilo',
    st_payment_success: 'Plačilo prejeto',
    st_payment_failed: 'Plačilo ni uspelo',
    st_submitted: 'Oddana',
    st_registered: 'Protokolirana',
    st_in_charge: 'Prevzeta v obravnavo',
    st_integration_requested: 'Zahtevana dopolnitev',
    st_processing: 'V obdelavi',
    st_needs_attention: 'V preverjanju po napaki',
    st_submitted_after_integration: 'Oddana po dopolnitvi',
    st_completed: 'Zaključena',
    st_rejected: 'Zavrnjena',
    st_withdrawn: 'Umaknjena',
    st_revoked: 'Preklicana',
    appName: 'Sportello', tagline: 'Spletne storitve ustanov Furlanije - Julijske krajine',
    skip: 'Skoči na vsebino', login: 'Prijava', logout: 'Odjava',
    navServices: 'Storitve', navMine: 'Moje vloge', navInbox: 'Naloge', navPratiche: 'Vloge ustanove',
    navModeler: 'Modelirnik', navOverlays: 'Prilagoditve', navMonitoring: 'Spremljanje',
    loading: 'Nalaganje…', error: 'Napaka', notFound: 'Stran ni bila najdena', back: 'Nazaj',
    welcomeTitle: 'Dobrodošli v Sportellu', welcomeText: 'Prijavite se s SPID, CIE ali eIDAS, da oddate in spremljate svoje vloge.',
    signedAs: 'Prijavljeni kot', role_citizen: 'občan', role_operator: 'uslužbenec', role_designer: 'oblikovalec',
    'role_ente-admin': 'skrbnik ustanove', 'role_regional-admin': 'deželni skrbnik',
    servicesTitle: 'Storitve ustanov', servicesOf: 'Storitve', start: 'Začni prek spleta', frontDeskOnly: 'Samo na okencu',
    notOnline: 'Ni mogoče začeti prek spleta', channels: 'Kanali', contacts: 'Kontakti',
    ch_web: 'splet', ch_app: 'aplikacija', ch_sportello: 'okence', ch_telefono: 'telefon', ch_pec: 'certificirana e-pošta', ch_email: 'e-pošta',
    startTitle: 'Nova vloga', submit: 'Pošlji vlogo', sending: 'Pošiljanje…',
    formErrors: 'Popravite označena polja', required: 'obvezno', choose: '— izberite —', yes: 'Da',
    created: 'Vloga poslana', mineTitle: 'Moje vloge', none: 'Ni vlog', openDetail: 'Odpri',
    colService: 'Storitev', colStatus: 'Stanje', colCreated: 'Oddana', colUpdated: 'Posodobljena', colDeadline: 'Rok',
    colOwner: 'Vlagatelj', colTask: 'Naloga', colPratica: 'Vloga', colState: 'Stanje naloge', colActions: 'Dejanja',
    detailTitle: 'Vloga', status: 'Stanje', holder: 'Obravnava', holderCitizen: 'vi (občan)', holderNone: '—',
    deadline: 'Zakonski rok', daysLeft: 'preostalih dni', daysLate: 'dni po roku', suspended: 'Rok zadržan (čaka na dopolnitev)',
    timeline: 'Časovnica', payments: 'Plačila', messages: 'Poslana sporočila', noPayments: 'Ni plačil',
    noMessages: 'Ni sporočil', noticeNumber: 'Številka obvestila', amount: 'Znesek', dueDate: 'Zapadlost', pay: 'Plačaj s pagoPA',
    noticePdf: 'Obvestilo PDF', paid: 'Plačano', unpaid: 'Za plačilo', actionsNow: 'Kaj lahko storite zdaj', data: 'Poslani podatki',
    overdue: 'Zapadlo, še plačljivo', superseded: 'Ni več plačljivo (izbran je bil drug način plačila)', closed: 'Preklicano',
    act_withdraw: 'Umakni vlogo', act_integrate: 'Pošlji dopolnitev', act_take_charge: 'Prevzemi v obravnavo',
    act_acknowledge: 'Vzemi na znanje', act_approve: 'Odobri', act_reject: 'Zavrni', act_request_integration: 'Zahtevaj dopolnitev',
    act_reassign: 'Dodeli drugemu', act_revoke: 'Prekliči', act_submit: 'Oddaj',
    act_retry: 'Ponovi korak', act_skip: 'Preskoči korak', act_cancel: 'Prekliči vlogo', confirmWithdraw: 'Ali res želite umakniti vlogo?',
    task_open: 'za prevzem', task_claimed: 'v obdelavi', task_done: 'opravljena', task_cancelled: 'preklicana',
    done: 'Opravljeno', inboxTitle: 'Naloge za obdelavo', inboxEmpty: 'Ni odprtih nalog', claim: 'Prevzemi', claimedBy: 'prevzel',
    complete: 'Zaključi', outcome: 'Izid', reason: 'Obrazložitev', reasonHelp: 'Obvezna za nekatere izide (npr. zavrnitev, zahteva za dopolnitev)',
    praticheTitle: 'Vloge ustanove', integrateTitle: 'Zahtevana dopolnitev', integrateText: 'Urad vas prosi, da dopolnite ali popravite podatke. Uredite obrazec in ga pošljite.',
    modelerTitle: 'Modelirnik', templates: 'Predloge vlog', forms: 'Obrazci', version: 'Različica', colId: 'Oznaka',
    colTitle: 'Naslov', colHash: 'Zgoščena vrednost', problems: 'Težave', edit: 'Uredi', document: 'Dokument (JSON)', saveDraft: 'Shrani osnutek',
    validate: 'Preveri', publish: 'Objavi', versions: 'Različice', diff: 'Razlike', from: 'od', to: 'do', showDiff: 'Prikaži razlike',
    valid: 'Ni težav', invalidJSON: 'Neveljaven JSON', saved: 'Osnutek shranjen', published: 'Objavljeno', breaking: 'Nezdružljiva sprememba',
    fieldsAdded: 'Dodana polja', fieldsRemoved: 'Odstranjena polja', fieldsRequired: 'Polja, ki so postala obvezna', stepsAdded: 'Dodani koraki',
    stepsRemoved: 'Odstranjeni koraki', stepsChanged: 'Spremenjeni koraki', noDiff: 'Ni razlik', newTemplate: 'Nova predloga',
    navRoles: 'Vloge osebja', rolesTitle: 'Vloge osebja', rolesNone: 'Ni dodeljenih vlog', rolesPerson: 'Oseba',
    rolesPersonHelp: 'Davčna številka (tudi TINIT-…) ali identifikator eIDAS »država-oznaka«, npr. ES-12345678Z',
    rolesRole: 'Vloga', rolesOffices: 'Uradi', rolesOfficesHelp: 'Brez izbranega urada: vsi uradi ustanove',
    rolesAllOffices: 'vsi', rolesGrantedBy: 'Dodelil', rolesGrantedAt: 'Dne', rolesGrant: 'Dodeli', rolesAdd: 'Dodeli vlogo',
    rolesRevoke: 'Odvzemi', actAs: 'Deluj kot', actAsCitizen: 'občan (moje vloge)',
    overlaysTitle: 'Prilagoditve ustanove', overlayNone: 'Ni prilagoditev', baseVersion: 'Osnovna različica',
    overlayLive: 'V uporabi za nove vloge', overlayNeedsReview: 'Za pregled: nova deželna različica ne sprejema teh vrednosti',
    regionalChanges: 'Kaj se je spremenilo v deželni predlogi:', stepChanged: 'spremenjen korak:', stepAdded: 'dodan korak:', stepRemoved: 'odstranjen korak:', values: 'Vrednosti',
    chartData: 'Podatki grafikona', chartEnti: 'Storitve plačil, aktivne na pagoPA, po ustanovah', chartEntiSummary: '{met} od {n} ustanov dosega cilj 70 %',
    chartTrend: 'Storitve, aktivne na pagoPA, po mesecih', chartTrendSummary: 'Zadnji mesec: {pct}, cilj 70 %', chartPayments: 'Plačila in izdana obvestila po mesecih',
    chartPaymentsSummary: 'Skupaj plačano v zadnjih 12 mesecih: {total}', colMonth: 'Mesec', colIssued: 'Izdana obvestila', colPaid: 'Plačila', colPaidEuro: 'Plačani znesek',
    downloadTrendCsv: 'Prenesi potek (CSV)', allEnti: 'Vse ustanove', filter: 'Filtriraj',
    monitoringTitle: 'Spremljanje sporazuma', downloadCsv: 'Prenesi CSV', colEnte: 'Ustanova', colServices: 'Storitve', colIncasso: 'Storitve plačil',
    colActive: 'Aktivne na pagoPA', colPercent: '% pagoPA', colTarget: 'Cilj 70 %', colAppIO: 'Storitve na App IO', colIOTarget: 'Cilj IO',
    colInactive: 'Še ne aktivne', total: 'Skupaj v deželi', no: 'Ne', forbidden: 'Do te strani nimate dostopa',
  },
};

/** languages are the portal's languages, each named in itself. */
export const languages = [['it', 'Italiano'], ['en', 'English'], ['sl', 'Slovenščina']];

const known = (l) => (l === 'en' || l === 'sl' ? l : 'it');
let current = known(localStorage.getItem('sportello.lang'));

/** locale is the Intl locale of the current language. */
export function locale() { return { it: 'it-IT', en: 'en-GB', sl: 'sl-SI' }[current]; }

/** lang is the current language, "it", "en" or "sl". */
export function lang() { return current; }

/** setLang changes the language and remembers it. */
export function setLang(l) {
  current = known(l);
  localStorage.setItem('sportello.lang', current);
  document.documentElement.lang = current;
}

/** t is the text of key in the current language. */
export function t(key) {
  return dict[current][key] ?? dict.it[key] ?? key;
}

/** has reports whether key is in the table. */
export function has(key) { return dict.it[key] !== undefined; }

/** tx picks the current language from a {it, en, sl} text of the server;
 * Italian, the official language, stands in for a missing translation. */
export function tx(text) {
  if (!text) return '';
  if (typeof text === 'string') return text;
  return text[current] || text.it || text.en || '';
}

/** byLang picks one of three texts of the server given as separate fields (messageIt, messageEn, messageSl). */
export function byLang(it, en, sl) {
  return (current === 'en' && en) || (current === 'sl' && sl) || it || en || '';
}

/** langOf is the language byLang picks for the same texts: a page marks a
 * text shown in a language other than its own with lang (WCAG 3.1.2). */
export function langOf(it, en, sl) {
  if (current === 'en' && en) return 'en';
  if (current === 'sl' && sl) return 'sl';
  return it ? 'it' : en ? 'en' : current;
}

/** txLang is the language tx picks from a {it, en, sl} text. */
export function txLang(text) {
  if (!text || typeof text === 'string') return current;
  return langOf(text.it, text.en, text.sl);
}

/** allTexts is every text of the table by language, for the browser tests that look for a page in mixed languages. */
export function allTexts() { return dict; }

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
