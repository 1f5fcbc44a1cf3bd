/**
 * The words of the desktop notifications main shows by itself (the renderer may not be open to translate them):
 * an incoming call and a missed call, reminders, and a set-up dongle missing or dropping out, in the six languages. `{remote}` is the caller, already isolated for
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
  readonly serviceEndingTitle: string
  readonly serviceEndingBody: string
  readonly cardExpiringTitle: string
  readonly cardExpiringBody: string
  readonly dongleMissingTitle: string
  readonly dongleMissingBody: string
  readonly dongleDropoutsTitle: string
  readonly dongleDropoutsBody: string
}

export const NOTIFICATION_TEXT: Readonly<Record<LanguageCode, NotificationText>> = {
  en: {
    incomingTitle: 'Incoming call',
    incomingBody: '{remote} is calling. Lift the handset or answer in Dialtone.',
    missedTitle: 'Missed call',
    missedBody: 'You missed a call from {remote}.',
    privateNumber: 'a private number',
    updateTitle: 'Dialtone update ready',
    updateBody: 'Version {version} installs when you quit Dialtone.',
    serviceEndingTitle: 'Your phone service ends soon',
    serviceEndingBody:
      'The line {subject} is paid through {date} and will not renew by itself. Renew it in Dialtone to keep the number.',
    cardExpiringTitle: 'Your card expires soon',
    cardExpiringBody:
      'The card ending {subject} expires on {date}. Click to replace it under Account → Billing → Saved cards so renewals keep working.',
    dongleMissingTitle: 'Your dongle has not appeared',
    dongleMissingBody:
      'The dongle set up on this computer is not connected. Open Diagnostics to see why and what to do.',
    dongleDropoutsTitle: 'Your dongle keeps disconnecting',
    dongleDropoutsBody:
      'It disconnected several times within a minute, usually because the USB port does not give it enough power. Open Diagnostics to see the fix.'
  },
  hr: {
    incomingTitle: 'Dolazni poziv',
    incomingBody: '{remote} zove. Podignite slušalicu ili se javite u Dialtoneu.',
    missedTitle: 'Propušten poziv',
    missedBody: 'Propustili ste poziv s broja {remote}.',
    privateNumber: 'skrivenog broja',
    updateTitle: 'Ažuriranje Dialtonea je spremno',
    updateBody: 'Verzija {version} instalira se kad zatvorite Dialtone.',
    serviceEndingTitle: 'Vaša telefonska usluga uskoro istječe',
    serviceEndingBody:
      'Linija {subject} plaćena je do {date} i neće se sama obnoviti. Obnovite je u Dialtoneu kako biste zadržali broj.',
    cardExpiringTitle: 'Vaša kartica uskoro istječe',
    cardExpiringBody:
      'Kartica koja završava s {subject} istječe {date}. Kliknite i zamijenite je pod Račun → Naplata → Spremljene kartice kako bi obnove i dalje radile.',
    dongleMissingTitle: 'Vaš se uređaj nije pojavio',
    dongleMissingBody:
      'Uređaj postavljen na ovom računalu nije spojen. Otvorite Dijagnostiku da vidite zašto i što učiniti.',
    dongleDropoutsTitle: 'Vaš se uređaj stalno odspaja',
    dongleDropoutsBody:
      'Odspojio se nekoliko puta unutar jedne minute, obično zato što mu USB priključak ne daje dovoljno napajanja. Otvorite Dijagnostiku da vidite rješenje.'
  },
  fr: {
    incomingTitle: 'Appel entrant',
    incomingBody: '{remote} vous appelle. Décrochez le combiné ou répondez dans Dialtone.',
    missedTitle: 'Appel manqué',
    missedBody: 'Vous avez manqué un appel de {remote}.',
    privateNumber: 'un numéro masqué',
    updateTitle: 'Mise à jour de Dialtone prête',
    updateBody: 'La version {version} s’installera quand vous quitterez Dialtone.',
    serviceEndingTitle: 'Votre service téléphonique se termine bientôt',
    serviceEndingBody:
      'La ligne {subject} est payée jusqu’au {date} et ne se renouvellera pas d’elle-même. Renouvelez-la dans Dialtone pour garder le numéro.',
    cardExpiringTitle: 'Votre carte expire bientôt',
    cardExpiringBody:
      'La carte se terminant par {subject} expire le {date}. Cliquez pour la remplacer dans Compte → Facturation → Cartes enregistrées afin que les renouvellements continuent.',
    dongleMissingTitle: 'Votre clé n’est pas apparue',
    dongleMissingBody:
      'La clé configurée sur cet ordinateur n’est pas connectée. Ouvrez le Diagnostic pour savoir pourquoi et quoi faire.',
    dongleDropoutsTitle: 'Votre clé se déconnecte sans cesse',
    dongleDropoutsBody:
      'Elle s’est déconnectée plusieurs fois en une minute, généralement parce que le port USB ne lui fournit pas assez de courant. Ouvrez le Diagnostic pour voir la solution.'
  },
  fa: {
    incomingTitle: 'تماس ورودی',
    incomingBody: '{remote} تماس می‌گیرد. گوشی را بردارید یا در Dialtone پاسخ دهید.',
    missedTitle: 'تماس بی‌پاسخ',
    missedBody: 'تماسی از {remote} را از دست دادید.',
    privateNumber: 'یک شمارهٔ ناشناس',
    updateTitle: 'به\u200cروزرسانی Dialtone آماده است',
    updateBody: 'نسخهٔ {version} هنگام بستن Dialtone نصب می\u200cشود.',
    serviceEndingTitle: 'سرویس تلفن شما به\u200cزودی پایان می\u200cیابد',
    serviceEndingBody:
      'خط {subject} تا {date} پرداخت شده و خودکار تمدید نمی\u200cشود. برای نگه داشتن شماره، آن را در Dialtone تمدید کنید.',
    cardExpiringTitle: 'کارت شما به\u200cزودی منقضی می\u200cشود',
    cardExpiringBody:
      'کارت با پایان {subject} در تاریخ {date} منقضی می\u200cشود. کلیک کنید و آن را در حساب ← صورت\u200cحساب ← کارت\u200cهای ذخیره\u200cشده جایگزین کنید تا تمدیدها ادامه یابد.',
    dongleMissingTitle: 'دانگل شما پیدا نشد',
    dongleMissingBody:
      'دانگلی که روی این رایانه راه‌اندازی شده وصل نیست. عیب‌یابی را باز کنید تا دلیل و راه‌حل را ببینید.',
    dongleDropoutsTitle: 'دانگل شما مدام قطع می‌شود',
    dongleDropoutsBody:
      'چند بار در یک دقیقه قطع شد؛ معمولاً چون درگاه USB برق کافی به آن نمی‌دهد. عیب‌یابی را باز کنید تا راه‌حل را ببینید.'
  },
  ro: {
    incomingTitle: 'Apel primit',
    incomingBody: '{remote} vă sună. Ridicați receptorul sau răspundeți în Dialtone.',
    missedTitle: 'Apel nepreluat',
    missedBody: 'Ați pierdut un apel de la {remote}.',
    privateNumber: 'un număr privat',
    updateTitle: 'Actualizarea Dialtone este gata',
    updateBody: 'Versiunea {version} se instalează când închideți Dialtone.',
    serviceEndingTitle: 'Serviciul telefonic se încheie curând',
    serviceEndingBody:
      'Linia {subject} este plătită până la {date} și nu se reînnoiește singură. Reînnoiți-o în Dialtone pentru a păstra numărul.',
    cardExpiringTitle: 'Cardul expiră curând',
    cardExpiringBody:
      'Cardul terminat în {subject} expiră pe {date}. Faceți clic și înlocuiți-l în Cont → Facturare → Carduri salvate ca reînnoirile să funcționeze în continuare.',
    dongleMissingTitle: 'Dispozitivul nu a apărut',
    dongleMissingBody:
      'Dispozitivul configurat pe acest computer nu este conectat. Deschideți Diagnosticarea pentru a vedea de ce și ce puteți face.',
    dongleDropoutsTitle: 'Dispozitivul se deconectează mereu',
    dongleDropoutsBody:
      'S-a deconectat de mai multe ori într-un minut, de obicei pentru că portul USB nu îi oferă destul curent. Deschideți Diagnosticarea pentru a vedea soluția.'
  },
  sl: {
    incomingTitle: 'Dohodni klic',
    incomingBody: '{remote} kliče. Dvignite slušalko ali se oglasite v Dialtonu.',
    missedTitle: 'Zgrešen klic',
    missedBody: 'Zgrešili ste klic s številke {remote}.',
    privateNumber: 'skrite številke',
    updateTitle: 'Posodobitev Dialtone je pripravljena',
    updateBody: 'Različica {version} se namesti, ko zaprete Dialtone.',
    serviceEndingTitle: 'Vaša telefonska storitev se kmalu izteče',
    serviceEndingBody:
      'Linija {subject} je plačana do {date} in se ne bo podaljšala sama. Podaljšajte jo v Dialtonu, da obdržite številko.',
    cardExpiringTitle: 'Vaša kartica kmalu poteče',
    cardExpiringBody:
      'Kartica s končnico {subject} poteče {date}. Kliknite in jo zamenjajte v Račun → Obračun → Shranjene kartice, da bodo podaljšanja delovala.',
    dongleMissingTitle: 'Vaš ključek se ni pojavil',
    dongleMissingBody:
      'Ključek, nastavljen na tem računalniku, ni priključen. Odprite Diagnostiko, da vidite, zakaj in kaj storiti.',
    dongleDropoutsTitle: 'Vaš ključek se kar naprej odklaplja',
    dongleDropoutsBody:
      'V eni minuti se je večkrat odklopil, običajno zato, ker mu vrata USB ne dajo dovolj napajanja. Odprite Diagnostiko, da vidite rešitev.'
  }
}
