import { flowNode, stringProp, single, type Mapper } from './mapped-node';

/** Node-RED sends the payload as HTML too when it holds a tag (its own test). */
const LOOKS_LIKE_HTML = /<[a-z][\s\S]*>/i;

/**
 * `e-mail` -> email.send with an smtp credential the user creates (Node-RED never exports the
 * login). Recipient: the node's "to", else msg.to; subject: msg.topic, else msg.title, else
 * "Message from Node-RED"; sender: msg.from, else the credential's `from` (Node-RED: the userid).
 */
export const mapEmail: Mapper = (node, ctx) => {
  const notes: string[] = [];
  const server = stringProp(node, 'server', 'smtp.gmail.com');
  const port = Number(stringProp(node, 'port', '465'));
  const secure = node.secure !== false;
  const to = stringProp(node, 'name');
  const parents = ctx.graph.payloadOrigins(node.id);
  const templates = parents.filter(
    (parent) => parent.type === 'template' && stringProp(parent, 'output', 'str') === 'str',
  );
  const knownText = parents.length > 0 && templates.length === parents.length;
  const html =
    knownText && templates.every((parent) => LOOKS_LIKE_HTML.test(stringProp(parent, 'template')));
  const plain =
    knownText && templates.every((parent) => !LOOKS_LIKE_HTML.test(stringProp(parent, 'template')));
  if (!html && !plain) {
    notes.push(
      'Node-RED decides at run time: HTML when the payload holds a tag, JSON text for an object; Hookflow sends {{{payload}}} as plain text',
    );
  }
  const params: Record<string, unknown> = {
    to: to !== '' ? to.replace(/\{\{/g, '\\{{') : '{{{to}}}',
    from: '{{{from}}}',
    subject: '{{{default topic (default title "Message from Node-RED")}}}',
    text: '{{{payload}}}',
    ...(html ? { html: '{{{payload}}}' } : {}),
  };
  if (to === '') {
    Object.assign(params, { cc: '{{{cc}}}', bcc: '{{{bcc}}}', replyTo: '{{{replyTo}}}' });
  }
  // The e-mail node keeps the recipient in `name`; its label is `dname`.
  const label = stringProp(node, 'dname');
  const made = flowNode(node, ctx, {
    type: 'email.send',
    params,
    base: label || 'email',
    name: label || 'Send email',
  });
  const credential = `${made.id}-smtp`;
  made.credential = credential;
  ctx.credentials.set(credential, { name: credential, types: ['smtp'], usedBy: [node.id] });
  notes.push(
    `credentials are not exported: create the smtp credential "${credential}" (host ${server}, port ${Number.isFinite(port) ? port : 465}, secure ${secure}, the login, and "from" = the Node-RED userid)`,
  );
  const approximated = notes.length > 1;
  return single(made, approximated ? 'approximated' : 'converted', notes);
};
