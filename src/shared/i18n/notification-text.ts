/**
 * The words of the desktop notifications main shows by itself (the renderer may not be open to translate them):
 * an incoming call and a missed call, in the six languages. `{remote}` is the caller, already isolated for
 * right-to-left text by the caller of these functions.
 */
import type { LanguageCode } from './languages'

interface NotificationText {
  readonly incomingTitle: string
  readonly incomingBody: string
  readonly missedTitle: string
  readonly missedBody: string
  readonly privateNumber: string
  readonly updateTitle: string
  readonly updateBody: string
}

export const NOTIFICATION_TEXT: Readonly<Record<LanguageCode, NotificationText>> = {
  en: {
    incomingTitle: 'Incoming call',
    incomingBody: '{remote} is calling. Lift the handset or answer in Dialtone.',
    missedTitle: 'Missed call',
    missedBody: 'You missed a call from {remote}.',
    privateNumber: 'a private number',
    updateTitle: 'Dialtone update ready',
    updateBody: 'Version {version} installs when you quit Dialtone.'
  },
  hr: {
    incomingTitle: 'Dolazni poziv',
    incomingBody: '{remote} zove. Podignite slušalicu ili se javite u Dialtoneu.',
    missedTitle: 'Propušten poziv',
    missedBody: 'Propustili ste poziv s broja {remote}.',
    privateNumber: 'skrivenog broja',
    updateTitle: 'Ažuriranje Dialtonea je spremno',
    updateBody: 'Verzija {version} instalira se kad zatvorite Dialtone.'
  },
  fr: {
    incomingTitle: 'Appel entrant',
    incomingBody: '{remote} vous appelle. Décrochez le combiné ou répondez dans Dialtone.',
    missedTitle: 'Appel manqué',
    missedBody: 'Vous avez manqué un appel de {remote}.',
    privateNumber: 'un numéro masqué',
    updateTitle: 'Mise à jour de Dialtone prête',
    updateBody: 'La version {version} s’installera quand vous quitterez Dialtone.'
  },
  fa: {
    incomingTitle: 'تماس ورودی',
    incomingBody: '{remote} تماس می‌گیرد. گوشی را بردارید یا در Dialtone پاسخ دهید.',
    missedTitle: 'تماس بی‌پاسخ',
    missedBody: 'تماسی از {remote} را از دست دادید.',
    privateNumber: 'یک شمارهٔ ناشناس',
    updateTitle: 'به\u200cروزرسانی Dialtone آماده است',
    updateBody: 'نسخهٔ {version} هنگام بستن Dialtone نصب می\u200cشود.'
  },
  ro: {
    incomingTitle: 'Apel primit',
    incomingBody: '{remote} vă sună. Ridicați receptorul sau răspundeți în Dialtone.',
    missedTitle: 'Apel nepreluat',
    missedBody: 'Ați pierdut un apel de la {remote}.',
    privateNumber: 'un număr privat',
    updateTitle: 'Actualizarea Dialtone este gata',
    updateBody: 'Versiunea {version} se instalează când închideți Dialtone.'
  },
  sl: {
    incomingTitle: 'Dohodni klic',
    incomingBody: '{remote} kliče. Dvignite slušalko ali se oglasite v Dialtonu.',
    missedTitle: 'Zgrešen klic',
    missedBody: 'Zgrešili ste klic s številke {remote}.',
    privateNumber: 'skrite številke',
    updateTitle: 'Posodobitev Dialtone je pripravljena',
    updateBody: 'Različica {version} se namesti, ko zaprete Dialtone.'
  }
}
