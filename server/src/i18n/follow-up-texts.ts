import type { FollowUpTexts } from '../../../protocol/src/index';
import { type WidgetLanguage, widgetLanguage } from './widget-texts';

/** The widget's words for the unread badge, the preview bubble and the chat menu, per language. */
const TEXTS: Record<WidgetLanguage, FollowUpTexts> = {
  en: {
    unread: { one: '{n} unread message', other: '{n} unread messages' },
    dismiss: 'Dismiss',
    menu: 'More options',
    stop: 'Stop follow-up messages',
    allow: 'Allow follow-up messages',
    stopped: 'You will get no follow-up messages once this chat is closed.',
    transcript: 'Email me this conversation',
    transcriptSent: 'We have emailed you this conversation.',
  },
  es: {
    unread: { one: '{n} mensaje sin leer', other: '{n} mensajes sin leer' },
    dismiss: 'Descartar',
    menu: 'Más opciones',
    stop: 'No recibir mensajes de seguimiento',
    allow: 'Recibir mensajes de seguimiento',
    stopped: 'No recibirás mensajes de seguimiento cuando se cierre este chat.',
    transcript: 'Enviarme esta conversación por correo',
    transcriptSent: 'Te hemos enviado esta conversación por correo.',
  },
  de: {
    unread: { one: '{n} ungelesene Nachricht', other: '{n} ungelesene Nachrichten' },
    dismiss: 'Schließen',
    menu: 'Weitere Optionen',
    stop: 'Keine Folgenachrichten mehr',
    allow: 'Folgenachrichten erlauben',
    stopped: 'Nach diesem Chat erhalten Sie keine Folgenachrichten mehr.',
    transcript: 'Gespräch per E-Mail senden',
    transcriptSent: 'Wir haben Ihnen das Gespräch per E-Mail geschickt.',
  },
  fr: {
    unread: { one: '{n} message non lu', other: '{n} messages non lus' },
    dismiss: 'Fermer',
    menu: 'Plus d’options',
    stop: 'Ne plus recevoir de messages de suivi',
    allow: 'Recevoir les messages de suivi',
    stopped: 'Vous ne recevrez plus de messages de suivi une fois ce chat terminé.',
    transcript: 'M’envoyer cette conversation par e-mail',
    transcriptSent: 'Nous vous avons envoyé cette conversation par e-mail.',
  },
  pt: {
    unread: { one: '{n} mensagem não lida', other: '{n} mensagens não lidas' },
    dismiss: 'Dispensar',
    menu: 'Mais opções',
    stop: 'Não receber mensagens de acompanhamento',
    allow: 'Receber mensagens de acompanhamento',
    stopped: 'Você não receberá mensagens de acompanhamento depois que este chat for encerrado.',
    transcript: 'Enviar esta conversa por e-mail',
    transcriptSent: 'Enviamos esta conversa para o seu e-mail.',
  },
  ru: {
    unread: { one: '{n} непрочитанное сообщение', few: '{n} непрочитанных сообщения', many: '{n} непрочитанных сообщений', other: '{n} непрочитанного сообщения' },
    dismiss: 'Скрыть',
    menu: 'Ещё',
    stop: 'Не писать мне после чата',
    allow: 'Можно писать мне после чата',
    stopped: 'После завершения чата мы не будем вам писать.',
    transcript: 'Прислать переписку на почту',
    transcriptSent: 'Мы отправили переписку вам на почту.',
  },
  'zh-CN': {
    unread: { other: '{n} 条未读消息' },
    dismiss: '关闭',
    menu: '更多选项',
    stop: '不再接收跟进消息',
    allow: '接收跟进消息',
    stopped: '本次聊天结束后，我们不会再给您发送跟进消息。',
    transcript: '将本次对话发送到我的邮箱',
    transcriptSent: '我们已将本次对话发送到您的邮箱。',
  },
  'zh-TW': {
    unread: { other: '{n} 則未讀訊息' },
    dismiss: '關閉',
    menu: '更多選項',
    stop: '不再接收後續訊息',
    allow: '接收後續訊息',
    stopped: '本次聊天結束後，我們不會再傳送後續訊息給您。',
    transcript: '將這段對話寄到我的電子郵件',
    transcriptSent: '我們已將這段對話寄到您的電子郵件。',
  },
  ja: {
    unread: { other: '未読メッセージ {n} 件' },
    dismiss: '閉じる',
    menu: 'その他のオプション',
    stop: 'フォローアップのメッセージを受け取らない',
    allow: 'フォローアップのメッセージを受け取る',
    stopped: 'このチャットの終了後、フォローアップのメッセージはお送りしません。',
    transcript: 'この会話をメールで受け取る',
    transcriptSent: 'この会話をメールでお送りしました。',
  },
  ar: {
    unread: {
      zero: 'لا رسائل غير مقروءة',
      one: 'رسالة واحدة غير مقروءة',
      two: 'رسالتان غير مقروءتين',
      few: '{n} رسائل غير مقروءة',
      many: '{n} رسالة غير مقروءة',
      other: '{n} رسالة غير مقروءة',
    },
    dismiss: 'إخفاء',
    menu: 'خيارات أخرى',
    stop: 'إيقاف رسائل المتابعة',
    allow: 'السماح برسائل المتابعة',
    stopped: 'لن تصلك رسائل متابعة بعد انتهاء هذه المحادثة.',
    transcript: 'أرسل لي هذه المحادثة بالبريد الإلكتروني',
    transcriptSent: 'أرسلنا إليك هذه المحادثة بالبريد الإلكتروني.',
  },
};

/** The follow-up words for a visitor's language tag; a fresh copy. */
export function followUpTexts(tag: string): FollowUpTexts {
  const texts = TEXTS[widgetLanguage(tag)];
  return { ...texts, unread: { ...texts.unread } };
}
