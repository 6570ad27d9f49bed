// The story editor of the admin (django-prose-editor's ProseMirror/Tiptap build, with our own pieces): paragraphs,
// subheadings, bold and italic, links, lists, quotes and pull quotes, tables, rules; pictures from the media
// library and embeds (a link to a video, post, chart or map on a line of its own). Keyboard shortcuts are the
// usual ones (Ctrl/Cmd+B, I, K, Z, Shift+Z; "## " starts a subheading, "- " a list, "> " a quote).
// Pasted text keeps its structure; styles, scripts and unknown markup never enter the document, and the server
// sanitises every body again on save (articles/richtext.py). Without this file the body is a plain HTML textarea.
import {
  Blockquote, Bold, BulletList, Document, Dropcursor, Editor, Gapcursor, HardBreak, Heading, History,
  HorizontalRule, Italic, Link, ListItem, Menu, Node, OrderedList, Paragraph, Strike, Table, TableCell,
  TableHeader, TableRow, Text, Typographic, updateAttrsDialog,
} from "../django_prose_editor/editor.js";

// The providers of articles/embeds.py, by host: a pasted link to one of them becomes an embed.
const EMBED_HOSTS = {
  "youtube.com": "youtube", "www.youtube.com": "youtube", "m.youtube.com": "youtube", "youtu.be": "youtube",
  "vimeo.com": "vimeo", "www.vimeo.com": "vimeo",
  "x.com": "x", "twitter.com": "x", "www.twitter.com": "x", "mobile.twitter.com": "x",
  "instagram.com": "instagram", "www.instagram.com": "instagram",
  "tiktok.com": "tiktok", "www.tiktok.com": "tiktok",
  "bsky.app": "bluesky",
  "facebook.com": "facebook", "www.facebook.com": "facebook",
  "open.spotify.com": "spotify",
  "soundcloud.com": "soundcloud", "www.soundcloud.com": "soundcloud",
  "datawrapper.dwcdn.net": "datawrapper",
  "public.flourish.studio": "flourish",
  "www.google.com": "googlemaps", "maps.google.com": "googlemaps",
};
const PROVIDER_NAMES = {
  youtube: "YouTube", vimeo: "Vimeo", x: "X", instagram: "Instagram", tiktok: "TikTok", bluesky: "Bluesky",
  facebook: "Facebook", spotify: "Spotify", soundcloud: "SoundCloud", datawrapper: "Datawrapper",
  flourish: "Flourish", googlemaps: "Google Maps",
};

function embedProvider(text) {
  let url;
  try {
    url = new URL(text.trim());
  } catch (error) {
    return null;
  }
  if (url.protocol !== "https:" || url.username || url.password || url.port) return null;
  return EMBED_HOSTS[url.hostname] || null;
}

// A picture or an embed goes in at the cursor with a new line below it, where the writing goes on. (An empty
// line left over is dropped when the story is saved.)
function onItsOwnLine(node) {
  return [node, { type: "paragraph" }];
}

function box(className, label, detail) {
  const dom = document.createElement("div");
  dom.className = `story-editor__box ${className}`;
  dom.contentEditable = "false";
  const title = document.createElement("strong");
  title.textContent = label;
  const more = document.createElement("span");
  more.textContent = detail;
  dom.append(title, more);
  return dom;
}

// A picture of the media library, placed in the body: <figure data-picture="12" data-size="column">.
const LibraryPicture = Node.create({
  name: "libraryPicture",
  group: "block",
  atom: true,
  draggable: true,
  addAttributes() {
    return {
      picture: { default: null, parseHTML: (el) => el.getAttribute("data-picture"),
        renderHTML: (attrs) => ({ "data-picture": attrs.picture }) },
      size: { default: "column", parseHTML: (el) => el.getAttribute("data-size") || "column",
        renderHTML: (attrs) => ({ "data-size": attrs.size }) },
    };
  },
  parseHTML() { return [{ tag: "figure[data-picture]" }]; },
  renderHTML({ HTMLAttributes }) { return ["figure", HTMLAttributes]; },
  addNodeView() {
    const cardUrl = this.options.cardUrl;
    return ({ node, editor, getPos }) => {
      const dom = box("story-editor__picture", `Picture ${node.attrs.picture}`,
        node.attrs.size === "full" ? " · full width" : " · column width");
      const thumb = document.createElement("img");
      thumb.alt = "";
      thumb.className = "story-editor__thumb";
      dom.prepend(thumb);
      const size = document.createElement("button");
      size.type = "button";
      size.className = "story-editor__size";
      size.textContent = node.attrs.size === "full" ? "Make it column width" : "Make it full width";
      size.addEventListener("click", function () {
        const next = node.attrs.size === "full" ? "column" : "full";
        editor.chain().focus().command(({ tr }) => {
          tr.setNodeMarkup(getPos(), undefined, { ...node.attrs, size: next });
          return true;
        }).run();
      });
      dom.append(size);
      if (cardUrl) {
        fetch(cardUrl.replace(/\/0\/card\/$/, `/${node.attrs.picture}/card/`), { credentials: "same-origin" })
          .then((response) => (response.ok ? response.json() : null))
          .then(function (card) {
            if (!card) return;
            if (card.thumb) thumb.src = card.thumb;
            dom.querySelector("strong").textContent = card.alt || "(no alt text yet: describe it in the library)";
          })
          .catch(function () {});
      }
      return { dom };
    };
  },
  addOptions() { return { cardUrl: "" }; },
  addCommands() {
    return {
      insertLibraryPicture: (picture) => ({ commands }) =>
        commands.insertContent(onItsOwnLine({ type: this.name, attrs: { picture: String(picture), size: "column" } })),
    };
  },
});

// An embed: <figure data-embed="youtube" data-url="https://…">, shown here as a labelled box.
const Embed = Node.create({
  name: "embed",
  group: "block",
  atom: true,
  draggable: true,
  addAttributes() {
    return {
      provider: { default: null, parseHTML: (el) => el.getAttribute("data-embed"),
        renderHTML: (attrs) => ({ "data-embed": attrs.provider }) },
      url: { default: null, parseHTML: (el) => el.getAttribute("data-url"),
        renderHTML: (attrs) => ({ "data-url": attrs.url }) },
    };
  },
  parseHTML() { return [{ tag: "figure[data-embed]" }]; },
  renderHTML({ HTMLAttributes }) { return ["figure", HTMLAttributes]; },
  addNodeView() {
    return ({ node }) => ({
      dom: box("story-editor__embed", `${PROVIDER_NAMES[node.attrs.provider] || "Embed"} embed`, ` · ${node.attrs.url}`),
    });
  },
});

// A pull quote: a line of the story set large, <blockquote class="pull-quote">.
// A link's address, checked the way the server checks it on save (articles/richtext.py, is_well_formed_link):
// a web address, an e-mail address or a path of this site. "www.example.org/report" gets its https://.
export function checkedHref(typed) {
  let href = typed.trim();
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+(\/|$)/i.test(href)) href = `https://${href}`;
  if ((href.startsWith("/") && !href.startsWith("//")) || href.startsWith("#")) return { href };
  if (href.startsWith("mailto:")) {
    return /^mailto:[^@\s]+@[^@\s]+$/.test(href) ? { href } : { problem: "An e-mail link needs an address, like mailto:desk@example.org." };
  }
  try {
    const url = new URL(href);
    if ((url.protocol === "https:" || url.protocol === "http:") && url.hostname.includes(".") && !/\s/.test(href)) {
      return { href };
    }
  } catch (error) {
    // not an address at all: said below
  }
  return { problem: `“${typed}” is not a web address. Start it with https://, or with / for a page of this site.` };
}

// Ctrl/Cmd+K and the toolbar's link button: the dialog asks again, saying why, until the address is well formed
// (or the editor cancels). An empty address removes the link.
const CheckedLink = Link.extend({
  addCommands() {
    return {
      ...this.parent?.(),
      addLink: () => ({ editor, dispatch }) => {
        if (editor.state.selection.empty && !editor.isActive("link")) return false;
        if (!dispatch) return true; // asked whether it could (the toolbar): yes, and nothing opens
        const ask = async function (typed, problem) {
          const fields = { href: { type: "string", title: "Address (URL)", description: problem || "" } };
          const answer = await updateAttrsDialog(fields, { title: "Link" })(editor, { href: typed });
          if (!answer) return;
          if (!answer.href.trim()) {
            editor.chain().focus().extendMarkRange("link").unsetLink().run();
            return;
          }
          const checked = checkedHref(answer.href);
          if (checked.problem) return ask(answer.href, checked.problem);
          const chain = editor.chain().focus();
          if (editor.isActive("link")) chain.extendMarkRange("link").updateAttributes("link", { href: checked.href }).run();
          else chain.setMark("link", { href: checked.href }).run();
        };
        ask(editor.getAttributes("link").href || "", "");
        return true;
      },
    };
  },
});

const PullQuote = Blockquote.extend({
  name: "pullQuote",
  priority: 200,
  parseHTML() { return [{ tag: "blockquote.pull-quote" }]; },
  renderHTML({ HTMLAttributes }) { return ["blockquote", { ...HTMLAttributes, class: "pull-quote" }, 0]; },
  addKeyboardShortcuts() { return {}; },
  addInputRules() { return []; },
  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "pullQuote",
      groups: "nodes",
      command: (editor) => editor.chain().focus().toggleWrap(this.name).run(),
      active: (editor) => editor.isActive(this.name),
      button: buttons.material("format_quote", "pull quote"),
    });
  },
});

function pastedEmbed(editor, event) {
  const text = event.clipboardData && event.clipboardData.getData("text/plain");
  if (!text || /\s/.test(text.trim())) return false;
  const provider = embedProvider(text);
  const { $from, empty } = editor.state.selection;
  if (!provider || !empty || $from.parent.type.name !== "paragraph" || $from.parent.content.size) return false;
  editor.chain().focus().insertContent(onItsOwnLine({ type: "embed", attrs: { provider, url: text.trim() } })).run();
  return true;
}

// The editor over its textarea, which it keeps up to date (the form posts the textarea). As the package's
// createTextareaEditor, but without the <style> element Tiptap injects: the admin's Content-Security-Policy
// allows no inline style, and admin.css carries those few rules.
function textareaEditor(textarea, extensions) {
  const element = document.createElement("div");
  element.className = "prose-editor";
  textarea.before(element);
  element.append(textarea);
  return new Editor({
    element,
    extensions,
    injectCSS: false,
    editorProps: { attributes: surfaceAttributes(textarea) },
    editable: !textarea.disabled,
    content: textarea.value,
    onUpdate({ editor }) {
      const html = editor.getHTML();
      textarea.value = html === "<p></p>" ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });
}

// The writing surface is what screen readers and keyboard users reach: it takes the field's label and help text
// (the textarea it stands for is hidden).
function surfaceAttributes(textarea) {
  const attributes = { role: "textbox", "aria-multiline": "true" };
  const label = textarea.id && document.querySelector(`label[for="${textarea.id}"]`);
  if (label) {
    label.id = label.id || `${textarea.id}_label`;
    attributes["aria-labelledby"] = label.id;
  }
  const help = textarea.getAttribute("aria-describedby");
  if (help) attributes["aria-describedby"] = help;
  if (textarea.required) attributes["aria-required"] = "true";
  return attributes;
}

function start(textarea) {
  const wrapper = textarea.closest("[data-story-editor-field]");
  const extensions = [
    Document, Dropcursor, Gapcursor, Paragraph, HardBreak, Text, History, Menu, Typographic,
    Bold, Italic, Strike, BulletList, OrderedList, ListItem,
    CheckedLink.configure({ enableTarget: false, protocols: ["http", "https", "mailto"] }),
  ];
  // Key points are text; a story has the lot.
  if (textarea.dataset.storyEditor !== "short") {
    extensions.push(
      Heading.configure({ levels: [2, 3] }), Blockquote, PullQuote, HorizontalRule,
      Table, TableRow, TableHeader, TableCell,
      LibraryPicture.configure({ cardUrl: wrapper ? wrapper.dataset.cardUrl : "" }), Embed,
    );
  }
  const hadFocus = document.activeElement === textarea; // the admin may have focused it before this module ran
  const editor = textareaEditor(textarea, extensions);
  // The textarea stays in the form, out of sight and out of the tab order. Whatever focuses it (the admin's
  // first-field focus on an add page, a label) lands on the writing surface. The browser's "required" check would
  // stop the save on a field nobody can see; the server says so in words instead.
  textarea.tabIndex = -1;
  textarea.setAttribute("aria-hidden", "true");
  textarea.required = false;
  // ProseMirror's own focus, at once (the editor's focus command waits for a frame, which a tab in the
  // background never draws).
  textarea.addEventListener("focus", function () { editor.view.focus(); });
  if (hadFocus) editor.view.focus();
  editor.view.dom.addEventListener("paste", function (event) {
    if (pastedEmbed(editor, event)) event.preventDefault();
  }, true);
  // A picture chosen in the library's dialog (its hidden field, set by the admin's popup) goes in at the cursor.
  const chosen = wrapper && wrapper.querySelector("[data-story-picture]");
  if (chosen && window.django && window.django.jQuery) {
    window.django.jQuery(chosen).on("change", function () {
      if (/^[0-9]+$/.test(chosen.value)) editor.chain().focus().insertLibraryPicture(chosen.value).run();
      chosen.value = "";
    });
  }
  return editor;
}

function startAll() {
  document.querySelectorAll("textarea[data-story-editor]").forEach(function (textarea) {
    if (!textarea.dataset.started) {
      textarea.dataset.started = "1";
      start(textarea);
    }
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
else startAll();
