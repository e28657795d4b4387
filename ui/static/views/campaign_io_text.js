// campaign_io_text.js: the texts of a campaign's App IO and accounting
// sections (campaign_io.js), in it, en and sl.
import { addTexts } from '../i18n.js';

addTexts({
  it: {
    ioTitle: 'Messaggi su App IO', ioIntro: 'L\'avviso e i promemoria inviati ai contribuenti su App IO; chi App IO non raggiunge va avvisato su carta.',
    ioMessage: 'Messaggio', ioNotice: 'Avviso di pagamento', ioReminder: 'Promemoria: {what} (dal {date})',
    ioSent: 'Inviati', ioNotOnIo: 'Non su IO', ioDisabled: 'Servizio disattivato', ioFailed: 'Non riusciti', ioUnknown: 'Esito incerto', ioPending: 'Da inviare',
    ioPaper: 'Da avvisare su carta', ioPaperCsv: 'Elenco dei contribuenti da avvisare su carta (CSV)',
    accTitle: 'Contabilità della campagna', accTotal: 'Totale', accCheck: 'Verifica con contabilità e tesoreria', accOk: 'Quadra', accKo: 'Non quadra',
    accOkText: 'Gli importi emessi, accertati, riscossi e riconciliati concordano con la contabilità e con la tesoreria.',
    accKoText: 'La campagna non quadra con la contabilità o con la tesoreria:',
    accPositions: 'Posizioni', accIssued: 'Emesso', accAccrued: 'Accertato', accCollected: 'Riscosso', accReconciled: 'Riconciliato', accOutstanding: 'Da riscuotere',
    accTreasury: 'Accreditato in tesoreria', accCsv: 'Contabilità della campagna (CSV)',
  },
  en: {
    ioTitle: 'Messages on App IO', ioIntro: 'The notice and the reminders sent to taxpayers on App IO; those App IO cannot reach must be told on paper.',
    ioMessage: 'Message', ioNotice: 'Payment notice', ioReminder: 'Reminder: {what} (from {date})',
    ioSent: 'Sent', ioNotOnIo: 'Not on IO', ioDisabled: 'Service turned off', ioFailed: 'Failed', ioUnknown: 'Outcome unknown', ioPending: 'Still to send',
    ioPaper: 'To notify on paper', ioPaperCsv: 'Taxpayers to notify on paper (CSV)',
    accTitle: 'Campaign accounting', accTotal: 'Total', accCheck: 'Check against the ledger and the treasury', accOk: 'Balanced', accKo: 'Does not balance',
    accOkText: 'The amounts issued, accrued, collected and reconciled agree with the ledger and the treasury.',
    accKoText: 'The campaign does not agree with the ledger or the treasury:',
    accPositions: 'Positions', accIssued: 'Issued', accAccrued: 'Accrued', accCollected: 'Collected', accReconciled: 'Reconciled', accOutstanding: 'Outstanding',
    accTreasury: 'Credited to the treasury', accCsv: 'Campaign accounting (CSV)',
  },
  sl: {
    ioTitle: 'Sporočila v App IO', ioIntro: 'Obvestilo in opomniki, poslani zavezancem v App IO; tiste, ki jih App IO ne doseže, je treba obvestiti po pošti.',
    ioMessage: 'Sporočilo', ioNotice: 'Obvestilo o plačilu', ioReminder: 'Opomnik: {what} (od {date})',
    ioSent: 'Poslana', ioNotOnIo: 'Niso v IO', ioDisabled: 'Storitev izklopljena', ioFailed: 'Neuspešna', ioUnknown: 'Izid neznan', ioPending: 'Še za pošiljanje',
    ioPaper: 'Za obvestilo po pošti', ioPaperCsv: 'Zavezanci za obvestilo po pošti (CSV)',
    accTitle: 'Računovodstvo kampanje', accTotal: 'Skupaj', accCheck: 'Preverjanje z računovodstvom in zakladnico', accOk: 'V redu', accKo: 'Ni usklajeno',
    accOkText: 'Izdani, ugotovljeni, pobrani in usklajeni zneski se ujemajo z računovodstvom in zakladnico.',
    accKoText: 'Kampanja se ne ujema z računovodstvom ali zakladnico:',
    accPositions: 'Postavke', accIssued: 'Izdano', accAccrued: 'Ugotovljeno', accCollected: 'Pobrano', accReconciled: 'Usklajeno', accOutstanding: 'Še za plačilo',
    accTreasury: 'Prejeto v zakladnico', accCsv: 'Računovodstvo kampanje (CSV)',
  },
});
