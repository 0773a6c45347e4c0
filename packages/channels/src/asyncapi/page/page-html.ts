/**
 * The `/asyncapi` page: plain HTML whose script and styles are served by the same plugin
 * (`/asyncapi/page.js`, `/asyncapi/page.css`), so it works with no internet and under a
 * `default-src 'self'` content security policy.
 */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Event channels</title>
<link rel="stylesheet" href="/asyncapi/page.css">
<script src="/asyncapi/page.js" defer></script>
</head>
<body>
<header><h1 id="title">Event channels</h1><p id="version"></p><p id="description"></p>
<p class="links"><a href="/asyncapi.json">asyncapi.json</a> (AsyncAPI 3.0)</p></header>
<main>
<section id="try-it" aria-labelledby="try-it-title">
<h2 id="try-it-title">Try it</h2>
<form id="connect-form">
<label>Channel <select id="channel" name="channel"></select></label>
<label>Bearer token (optional) <input id="token" name="token" type="password" autocomplete="off" placeholder="eyJ..."></label>
<label>Resume after id (optional) <input id="since" name="since" placeholder="1733400000000-0"></label>
<button id="connect" type="submit">Connect</button>
<button id="disconnect" type="button" disabled>Disconnect</button>
</form>
<p id="status" role="status">Not connected</p>
<form id="publish-form">
<label>Publish through <select id="publisher" name="publisher"></select></label>
<label class="wide">Params (JSON) <textarea id="publish-params" name="params" rows="3" spellcheck="false"></textarea></label>
<button id="publish" type="submit">Publish</button>
</form>
<p id="publish-status" role="status"></p>
<ol id="frames" aria-label="Frames received"></ol>
</section>
<section id="channels" aria-labelledby="channels-title"><h2 id="channels-title">Channels</h2></section>
<section id="frames-reference" aria-labelledby="frames-title"><h2 id="frames-title">Protocol frames</h2></section>
</main>
</body>
</html>
`
