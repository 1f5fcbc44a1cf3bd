/**
 * The words of the tray icon (main shows them by itself, with no renderer to translate): the line status in its
 * tooltip and menu, with why the line is down (the same short forms as the status bar), and the menu items, in
 * the six languages.
 */
import type { LineProblem, LineStatus } from '../ipc/phone'
import type { LanguageCode } from './languages'

interface TrayText {
  readonly line: Readonly<Record<LineStatus['state'], string>>
  readonly problem: Readonly<Record<LineProblem, string>>
  readonly open: string
  readonly quit: string
}

export const TRAY_TEXT: Readonly<Record<LanguageCode, TrayText>> = {
  en: {
    line: {
      unconfigured: 'No line set up',
      registering: 'Connecting…',
      registered: 'Line ready',
      unregistered: 'Line offline',
      failed: 'Line failed'
    },
    problem: {
      noNetwork: 'no network',
      serverUnreachable: 'server unreachable',
      credentialsRefused: 'sign-in refused',
      serviceLapsed: 'service ended',
      serviceSuspended: 'suspended',
      addressMissing: 'no 911 address',
      serviceUnreachable: 'account service unreachable',
      serverError: 'server error',
      misprovisioned: 'line details not valid',
      stopped: 'switched off'
    },
    open: 'Open Dialtone',
    quit: 'Quit'
  },
  hr: {
    line: {
      unconfigured: 'Linija nije postavljena',
      registering: 'Povezivanje…',
      registered: 'Linija spremna',
      unregistered: 'Linija nije povezana',
      failed: 'Greška linije'
    },
    problem: {
      noNetwork: 'nema mreže',
      serverUnreachable: 'poslužitelj nedostupan',
      credentialsRefused: 'prijava odbijena',
      serviceLapsed: 'usluga istekla',
      serviceSuspended: 'obustavljena',
      addressMissing: 'nema adrese za 911',
      serviceUnreachable: 'usluga računa nedostupna',
      serverError: 'greška poslužitelja',
      misprovisioned: 'podaci linije nisu valjani',
      stopped: 'isključena'
    },
    open: 'Otvori Dialtone',
    quit: 'Izlaz'
  },
  fr: {
    line: {
      unconfigured: 'Aucune ligne configurée',
      registering: 'Connexion…',
      registered: 'Ligne prête',
      unregistered: 'Ligne hors ligne',
      failed: 'Échec de la ligne'
    },
    problem: {
      noNetwork: 'pas de réseau',
      serverUnreachable: 'serveur injoignable',
      credentialsRefused: 'identifiants refusés',
      serviceLapsed: 'service terminé',
      serviceSuspended: 'suspendue',
      addressMissing: 'pas d’adresse 911',
      serviceUnreachable: 'service du compte injoignable',
      serverError: 'erreur du serveur',
      misprovisioned: 'informations de ligne non valides',
      stopped: 'désactivée'
    },
    open: 'Ouvrir Dialtone',
    quit: 'Quitter'
  },
  fa: {
    line: {
      unconfigured: 'خطی تنظیم نشده است',
      registering: 'در حال اتصال…',
      registered: 'خط آماده است',
      unregistered: 'خط قطع است',
      failed: 'خطای خط'
    },
    problem: {
      noNetwork: 'بدون شبکه',
      serverUnreachable: 'سرور در دسترس نیست',
      credentialsRefused: 'ورود پذیرفته نشد',
      serviceLapsed: 'سرویس پایان یافته',
      serviceSuspended: 'معلق شده',
      addressMissing: 'بدون نشانی ۹۱۱',
      serviceUnreachable: 'سرویس حساب در دسترس نیست',
      serverError: 'خطای سرور',
      misprovisioned: 'اطلاعات خط نامعتبر',
      stopped: 'خاموش'
    },
    open: 'باز کردن Dialtone',
    quit: 'خروج'
  },
  ro: {
    line: {
      unconfigured: 'Nicio linie configurată',
      registering: 'Se conectează…',
      registered: 'Linie pregătită',
      unregistered: 'Linie deconectată',
      failed: 'Eroare de linie'
    },
    problem: {
      noNetwork: 'fără rețea',
      serverUnreachable: 'server indisponibil',
      credentialsRefused: 'autentificare refuzată',
      serviceLapsed: 'serviciu încheiat',
      serviceSuspended: 'suspendată',
      addressMissing: 'fără adresă 911',
      serviceUnreachable: 'serviciul contului indisponibil',
      serverError: 'eroare de server',
      misprovisioned: 'date de linie nevalide',
      stopped: 'oprită'
    },
    open: 'Deschide Dialtone',
    quit: 'Ieșire'
  },
  sl: {
    line: {
      unconfigured: 'Linija ni nastavljena',
      registering: 'Povezovanje …',
      registered: 'Linija pripravljena',
      unregistered: 'Linija ni povezana',
      failed: 'Napaka linije'
    },
    problem: {
      noNetwork: 'ni omrežja',
      serverUnreachable: 'strežnik nedosegljiv',
      credentialsRefused: 'prijava zavrnjena',
      serviceLapsed: 'storitev potekla',
      serviceSuspended: 'začasno ustavljena',
      addressMissing: 'brez naslova za 911',
      serviceUnreachable: 'storitev računa nedosegljiva',
      serverError: 'napaka strežnika',
      misprovisioned: 'podatki linije neveljavni',
      stopped: 'izklopljena'
    },
    open: 'Odpri Dialtone',
    quit: 'Izhod'
  }
}

/** The line status as the tray says it: the state, and why when the line is down (not when it was switched off). */
export function trayStatus(status: LineStatus, language: LanguageCode): string {
  const t = TRAY_TEXT[language]
  const why =
    status.problem && status.problem !== 'stopped' && status.state !== 'registered'
      ? `: ${t.problem[status.problem]}`
      : ''
  return `${t.line[status.state]}${why}`
}
