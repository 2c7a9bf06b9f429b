// English, part 2 of 3 (en.ts): what only a conversation says (its notes, the errors of connecting, the microphone
// and the realtime session). It comes with the conversation's machinery (realtime/conversation.lazy.ts).

export const conversation = {
  'kw.notes': 'Design notes: {keywords}',
  'note.micAsk':
    'Your browser will ask to use the microphone so the assistant can hear you. Nothing is sent until you connect.',
  'note.reconnected': 'Reconnected.',
  'note.stepDown': '{from} could not connect. Switching to {to}.',
  'note.noReconnect': 'Could not reconnect {from}. Switching to {to}.',
  'err.mode_not_allowed': 'That way of talking is not available on this site.',
  'err.model_not_allowed': 'That assistant model is not available on this site.',
  'err.provider_busy': 'The voice service is busy right now. Please try again in a moment.',
  'err.provider_timeout': 'The voice service took too long to answer. Please try again.',
  'err.provider_auth_failed': 'The voice service is not configured correctly. Please let the site owner know.',
  'err.provider_error': 'The voice service had a problem. Please try again.',
  'err.provider_rejected': 'The voice service could not start the conversation. Please try again.',
  'err.provider_unreachable': 'The voice service could not be reached. Please try again.',
  'err.handoff_failed': 'Could not start the concepts. Please try again.',
  'err.generation_failed': 'The concepts could not be drawn.',
  'err.input_audio_buffer_commit_empty':
    "I didn't catch any sound there. Hold the button a little longer while you speak.",
  'err.rate_limit_exceeded': 'The assistant is very busy right now. Please wait a moment and try again.',
  'err.session_expired': 'This conversation has reached its time limit. Start a new one to go on.',
  'err.server_error': 'The assistant had a hiccup. Please say that again.',
  'err.invalid_api_key': 'The assistant is not configured correctly. Please let the site owner know.',
  'err.insufficient_quota': 'The assistant is not available right now. Please let the site owner know.',
  'err.not_allowed': 'That change to the conversation is not allowed on this site.',
  'err.item_not_allowed': 'That message could not be added to the conversation.',
  'err.event_not_allowed': 'That action is not available in this conversation.',
  'err.realtime': 'The assistant could not handle that last step. Please try again.',
  'err.mic_permission_denied': 'Microphone access is blocked. To talk, {how} You can also type instead.',
  'err.mic_not_found':
    'No microphone was found. Plug one in (or check it is enabled in your system settings) and press Retry, or ' +
    'type instead.',
  'err.mic_busy':
    'Your microphone is being used by another app or tab. Close it there and press Retry, or type instead.',
  'err.mic_unavailable': 'The microphone could not be started. Press Retry, or type instead.',
  'err.insecure_context': 'Voice needs a secure page (https). Open this site over https to talk, or type instead.',
  'err.audio_unavailable': 'This browser cannot play or record audio here. Please type instead.',
  'err.audio_blocked':
    'Your browser is holding back sound until you tap the page. Tap “Turn on sound” to hear the assistant.',
  'err.relay_error': 'The conversation service had a problem.',
  'err.session_time_limit': 'This conversation reached its time limit. Start a new one to go on.',
  'err.session_size_limit': 'This conversation reached its size limit. Start a new one to go on.',
  'err.too_fast': 'Too many messages in a short time; the conversation was stopped.',
  'err.provider_closed': 'The voice service closed the conversation.',
  'err.bad_event': 'The conversation was stopped after an unexpected message.',
  'err.frame_too_large': 'A message was too large for the conversation service.',
  'err.relay_unreachable': 'The conversation service could not be reached.',
  'err.relay_timeout': 'The conversation service did not answer in time.',
  'err.session_ended': 'The conversation ended.',
  'err.key_expired': 'The voice connection key expired before it could be used. Please try again.',
  'err.sdp_error': 'The voice service refused the connection. Please try again.',
  'err.connection_failed': 'Could not connect. Please try again.',
  'err.connection_lost': 'The connection closed.',
  'err.datachannel_timeout': 'The voice connection did not open in time.',
  'err.webrtc_unavailable': 'Hands-free voice needs the voice service, which is not set up on this server.',
};
