// ChatWidget.init before widget.js has loaded: the calls wait in this queue, and the widget reads
// them when it starts (after it has loaded, ChatWidget.init applies at once).
window.ChatWidget = window.ChatWidget || { q: [] };
window.ChatWidget.q.push([
  'init',
  {
    texts: { greeting: 'Questions about brewing? Our tea experts answer here.', placeholder: 'Ask about any tea…' },
    // a hidden field's value from the page wins over its URL parameter (utm_campaign)
    values: { campaign: 'overrides-demo' },
    // ignored: a page can never remove or un-require the consent box or a field
    consent: { required: false },
    required: false,
  },
]);
