import { widgetLanguage } from './widget-texts';

/**
 * The words of the emails a visitor receives (a reply they have not seen, the
 * transcript they asked for) and of the unsubscribe pages, in every language the
 * widget speaks. `{agent}` and `{site}` are filled in by the renderer, which
 * escapes them for HTML; these texts themselves are plain text.
 */
export interface EmailTexts {
  /** Subject of the email about unseen agent messages. */
  subjectUnseen: string;
  subjectTranscript: string;
  /** First line of the email about unseen agent messages. */
  unseenIntro: string;
  transcriptIntro: string;
  /** Heading of the messages shown for context. */
  earlier: string;
  /** The link back to the chat. */
  openChat: string;
  /** The visitor, as author of their own messages. */
  you: string;
  /** An agent or bot without a name. */
  team: string;
  /** Why the email came. */
  footer: string;
  /** The unsubscribe link in the email. */
  unsubscribe: string;
  /** The unsubscribe page (GET): a question and a button; nothing changes until it is pressed. */
  unsubscribeQuestion: string;
  unsubscribeExplain: string;
  unsubscribeButton: string;
  /** After the opt-out (POST). */
  unsubscribedTitle: string;
  unsubscribedText: string;
  /** A link whose signature does not match. */
  badLinkTitle: string;
  badLinkText: string;
}

const TEXTS: Record<ReturnType<typeof widgetLanguage>, EmailTexts> = {
  en: {
    subjectUnseen: 'New message from {agent} — {site}',
    subjectTranscript: 'Your conversation with {site}',
    unseenIntro: '{agent} replied to you in the chat with {site}:',
    transcriptIntro: 'Here is your conversation with {site}, as you asked.',
    earlier: 'Earlier in the conversation',
    openChat: 'Continue the conversation',
    you: 'You',
    team: 'Support',
    footer: 'You are receiving this email because you chatted with {site} and left your email address.',
    unsubscribe: 'Stop follow-up messages',
    unsubscribeQuestion: 'Stop follow-up messages from {site}?',
    unsubscribeExplain: 'You will no longer receive emails about replies you have not seen. You can still chat with {site} at any time.',
    unsubscribeButton: 'Stop follow-up messages',
    unsubscribedTitle: 'Done',
    unsubscribedText: 'You will no longer receive follow-up messages from {site}.',
    badLinkTitle: 'This link does not work',
    badLinkText: 'The link is incomplete or has been changed. Please open it again from the email.',
  },
  es: {
    subjectUnseen: 'Nuevo mensaje de {agent} — {site}',
    subjectTranscript: 'Tu conversación con {site}',
    unseenIntro: '{agent} te ha respondido en el chat con {site}:',
    transcriptIntro: 'Aquí tienes tu conversación con {site}, tal como pediste.',
    earlier: 'Antes en la conversación',
    openChat: 'Continuar la conversación',
    you: 'Tú',
    team: 'Atención al cliente',
    footer: 'Recibes este correo porque chateaste con {site} y dejaste tu dirección de correo electrónico.',
    unsubscribe: 'No quiero más mensajes de seguimiento',
    unsubscribeQuestion: '¿Dejar de recibir mensajes de seguimiento de {site}?',
    unsubscribeExplain: 'Ya no recibirás correos sobre respuestas que no hayas visto. Podrás seguir chateando con {site} cuando quieras.',
    unsubscribeButton: 'Dejar de recibirlos',
    unsubscribedTitle: 'Listo',
    unsubscribedText: 'Ya no recibirás mensajes de seguimiento de {site}.',
    badLinkTitle: 'Este enlace no funciona',
    badLinkText: 'El enlace está incompleto o ha sido modificado. Ábrelo de nuevo desde el correo.',
  },
  de: {
    subjectUnseen: 'Neue Nachricht von {agent} — {site}',
    subjectTranscript: 'Ihr Gespräch mit {site}',
    unseenIntro: '{agent} hat Ihnen im Chat mit {site} geantwortet:',
    transcriptIntro: 'Hier ist Ihr Gespräch mit {site}, wie gewünscht.',
    earlier: 'Zuvor im Gespräch',
    openChat: 'Gespräch fortsetzen',
    you: 'Sie',
    team: 'Kundenservice',
    footer: 'Sie erhalten diese E-Mail, weil Sie mit {site} gechattet und Ihre E-Mail-Adresse angegeben haben.',
    unsubscribe: 'Keine weiteren Nachrichten erhalten',
    unsubscribeQuestion: 'Keine weiteren Nachrichten von {site} erhalten?',
    unsubscribeExplain: 'Sie erhalten dann keine E-Mails mehr zu Antworten, die Sie noch nicht gesehen haben. Sie können jederzeit weiter mit {site} chatten.',
    unsubscribeButton: 'Abbestellen',
    unsubscribedTitle: 'Erledigt',
    unsubscribedText: 'Sie erhalten keine weiteren Nachrichten von {site}.',
    badLinkTitle: 'Dieser Link funktioniert nicht',
    badLinkText: 'Der Link ist unvollständig oder wurde verändert. Bitte öffnen Sie ihn erneut aus der E-Mail.',
  },
  fr: {
    subjectUnseen: 'Nouveau message de {agent} — {site}',
    subjectTranscript: 'Votre conversation avec {site}',
    unseenIntro: '{agent} vous a répondu dans le chat avec {site} :',
    transcriptIntro: 'Voici votre conversation avec {site}, comme demandé.',
    earlier: 'Plus tôt dans la conversation',
    openChat: 'Reprendre la conversation',
    you: 'Vous',
    team: 'Service client',
    footer: 'Vous recevez cet e-mail parce que vous avez discuté avec {site} et laissé votre adresse e-mail.',
    unsubscribe: 'Ne plus recevoir de messages de suivi',
    unsubscribeQuestion: 'Ne plus recevoir de messages de suivi de {site} ?',
    unsubscribeExplain: 'Vous ne recevrez plus d’e-mails pour les réponses que vous n’avez pas vues. Vous pourrez toujours discuter avec {site} quand vous le souhaitez.',
    unsubscribeButton: 'Me désabonner',
    unsubscribedTitle: 'C’est fait',
    unsubscribedText: 'Vous ne recevrez plus de messages de suivi de {site}.',
    badLinkTitle: 'Ce lien ne fonctionne pas',
    badLinkText: 'Le lien est incomplet ou a été modifié. Veuillez l’ouvrir à nouveau depuis l’e-mail.',
  },
  pt: {
    subjectUnseen: 'Nova mensagem de {agent} — {site}',
    subjectTranscript: 'A sua conversa com {site}',
    unseenIntro: '{agent} respondeu-lhe no chat com {site}:',
    transcriptIntro: 'Aqui está a sua conversa com {site}, tal como pediu.',
    earlier: 'Antes na conversa',
    openChat: 'Continuar a conversa',
    you: 'Você',
    team: 'Apoio ao cliente',
    footer: 'Recebe este e-mail porque conversou com {site} e deixou o seu endereço de e-mail.',
    unsubscribe: 'Deixar de receber mensagens de acompanhamento',
    unsubscribeQuestion: 'Deixar de receber mensagens de acompanhamento de {site}?',
    unsubscribeExplain: 'Deixará de receber e-mails sobre respostas que não viu. Pode continuar a conversar com {site} sempre que quiser.',
    unsubscribeButton: 'Deixar de receber',
    unsubscribedTitle: 'Feito',
    unsubscribedText: 'Deixará de receber mensagens de acompanhamento de {site}.',
    badLinkTitle: 'Esta ligação não funciona',
    badLinkText: 'A ligação está incompleta ou foi alterada. Abra-a novamente a partir do e-mail.',
  },
  ru: {
    subjectUnseen: 'Новое сообщение от {agent} — {site}',
    subjectTranscript: 'Ваша переписка с {site}',
    unseenIntro: '{agent} ответил(а) вам в чате {site}:',
    transcriptIntro: 'Как вы просили, вот ваша переписка с {site}.',
    earlier: 'Ранее в переписке',
    openChat: 'Продолжить переписку',
    you: 'Вы',
    team: 'Поддержка',
    footer: 'Вы получили это письмо, потому что общались в чате {site} и оставили свой адрес электронной почты.',
    unsubscribe: 'Отказаться от писем',
    unsubscribeQuestion: 'Больше не получать письма от {site}?',
    unsubscribeExplain: 'Вы больше не будете получать письма об ответах, которые не успели прочитать. Написать в чат {site} можно в любое время.',
    unsubscribeButton: 'Отписаться',
    unsubscribedTitle: 'Готово',
    unsubscribedText: 'Вы больше не будете получать письма от {site}.',
    badLinkTitle: 'Ссылка не работает',
    badLinkText: 'Ссылка неполная или была изменена. Откройте её ещё раз из письма.',
  },
  'zh-CN': {
    subjectUnseen: '{agent} 给您发来新消息 — {site}',
    subjectTranscript: '您与 {site} 的对话记录',
    unseenIntro: '{agent} 在与 {site} 的聊天中回复了您：',
    transcriptIntro: '这是您要求的与 {site} 的对话记录。',
    earlier: '之前的对话',
    openChat: '继续对话',
    you: '您',
    team: '客服',
    footer: '您收到这封邮件，是因为您曾与 {site} 聊天并留下了电子邮箱。',
    unsubscribe: '不再接收后续消息',
    unsubscribeQuestion: '不再接收来自 {site} 的后续消息？',
    unsubscribeExplain: '您将不再收到有关未读回复的邮件。您仍可随时与 {site} 聊天。',
    unsubscribeButton: '退订',
    unsubscribedTitle: '已完成',
    unsubscribedText: '您将不再收到来自 {site} 的后续消息。',
    badLinkTitle: '此链接无效',
    badLinkText: '链接不完整或已被修改。请从邮件中重新打开。',
  },
  'zh-TW': {
    subjectUnseen: '{agent} 傳來新訊息 — {site}',
    subjectTranscript: '您與 {site} 的對話紀錄',
    unseenIntro: '{agent} 在與 {site} 的聊天中回覆了您：',
    transcriptIntro: '這是您要求的與 {site} 的對話紀錄。',
    earlier: '先前的對話',
    openChat: '繼續對話',
    you: '您',
    team: '客服',
    footer: '您收到這封郵件，是因為您曾與 {site} 聊天並留下了電子郵件地址。',
    unsubscribe: '不再接收後續訊息',
    unsubscribeQuestion: '不再接收來自 {site} 的後續訊息？',
    unsubscribeExplain: '您將不再收到有關未讀回覆的郵件。您仍可隨時與 {site} 聊天。',
    unsubscribeButton: '取消訂閱',
    unsubscribedTitle: '已完成',
    unsubscribedText: '您將不再收到來自 {site} 的後續訊息。',
    badLinkTitle: '此連結無效',
    badLinkText: '連結不完整或已被修改。請從郵件中重新開啟。',
  },
  ja: {
    subjectUnseen: '{agent}から新しいメッセージ — {site}',
    subjectTranscript: '{site}とのチャット履歴',
    unseenIntro: '{site}のチャットで{agent}から返信が届いています：',
    transcriptIntro: 'ご依頼いただいた{site}とのチャット履歴をお送りします。',
    earlier: 'これまでのやり取り',
    openChat: 'チャットを続ける',
    you: 'あなた',
    team: 'サポート',
    footer: '{site}とチャットし、メールアドレスをご登録いただいたため、このメールをお送りしています。',
    unsubscribe: 'フォローアップの配信を停止',
    unsubscribeQuestion: '{site}からのフォローアップの配信を停止しますか？',
    unsubscribeExplain: '未読の返信についてのメールが届かなくなります。{site}とのチャットはいつでもご利用いただけます。',
    unsubscribeButton: '配信を停止する',
    unsubscribedTitle: '完了しました',
    unsubscribedText: '{site}からのフォローアップは今後届きません。',
    badLinkTitle: 'このリンクは無効です',
    badLinkText: 'リンクが不完全か、変更されています。メールからもう一度開いてください。',
  },
  ar: {
    subjectUnseen: 'رسالة جديدة من {agent} — {site}',
    subjectTranscript: 'محادثتك مع {site}',
    unseenIntro: 'ردّ عليك {agent} في المحادثة مع {site}:',
    transcriptIntro: 'إليك محادثتك مع {site} كما طلبت.',
    earlier: 'في وقت سابق من المحادثة',
    openChat: 'متابعة المحادثة',
    you: 'أنت',
    team: 'الدعم',
    footer: 'تصلك هذه الرسالة لأنك تحدثت مع {site} وتركت عنوان بريدك الإلكتروني.',
    unsubscribe: 'إيقاف رسائل المتابعة',
    unsubscribeQuestion: 'هل تريد إيقاف رسائل المتابعة من {site}؟',
    unsubscribeExplain: 'لن تصلك بعد الآن رسائل بريد عن الردود التي لم تطّلع عليها. يمكنك التحدث مع {site} في أي وقت.',
    unsubscribeButton: 'إيقاف الرسائل',
    unsubscribedTitle: 'تم',
    unsubscribedText: 'لن تصلك رسائل متابعة من {site} بعد الآن.',
    badLinkTitle: 'هذا الرابط لا يعمل',
    badLinkText: 'الرابط غير مكتمل أو تم تغييره. يُرجى فتحه مرة أخرى من الرسالة.',
  },
};

/** The email texts for a visitor's language tag (`ru-RU` finds `ru`); English for any other language. */
export function emailTexts(tag: string | null | undefined): EmailTexts {
  return TEXTS[widgetLanguage(tag ?? 'en')];
}

/** Fills `{name}` placeholders; unknown ones stay as written. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? (values[key] as string) : whole));
}

/** Right-to-left languages, for `dir` on the email's and the pages' root. */
export function emailDirection(tag: string | null | undefined): 'rtl' | 'ltr' {
  return widgetLanguage(tag ?? 'en') === 'ar' ? 'rtl' : 'ltr';
}
