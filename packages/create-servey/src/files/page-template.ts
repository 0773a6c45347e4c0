/** templates/hello_page.njk: the page action's result is `model`. */
export const PAGE_TEMPLATE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Hello {{ model.name }}</title>
  </head>
  <body>
    <h1 id="greeting">Hello {{ model.name }}!</h1>
    <p>Rendered at {{ model.time }} by the action <code>hello_page</code>.</p>
  </body>
</html>
`
