/**
 * The `/asyncapi` page's script: renders the served document, and the try-it panel that
 * connects a websocket to a channel (a token goes as the `bearer` subprotocol, the one way a
 * browser can send it on the upgrade) and lists every frame as it arrives; its Publish button
 * calls, over REST with the same token, an action that declares it publishes to the channel
 * (the document's x-servey-publishers). Text is only ever
 * set with textContent: the document's strings are the app's, never markup.
 */
export const PAGE_JS = String.raw`'use strict'
;(function () {
  var doc = null
  var socket = null
  function el(tag, attrs, children) {
    var node = document.createElement(tag)
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]) })
    ;(children || []).forEach(function (child) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child)
    })
    return node
  }
  function resolve(node) {
    if (node && typeof node.$ref === 'string') {
      return node.$ref.slice(2).split('/').reduce(function (at, key) { return at && at[key] }, doc)
    }
    return node
  }
  function pretty(value) { return JSON.stringify(value, null, 2) }
  function channelKeys() {
    return Object.keys(doc.channels || {}).filter(function (key) { return key.indexOf('.') === -1 })
  }
  function renderChannel(key) {
    var channel = doc.channels[key]
    var access = channel['x-servey-access'] || { kind: 'allow_all' }
    var open = access.kind === 'allow_all'
    var event = resolve(channel.messages[key])
    var accessText = open ? 'anyone' : access.kind === 'scopes'
      ? (access.mode === 'all' ? 'all of: ' : 'any of: ') + access.scopes.join(', ')
      : access.description || access.kind
    var section = el('article', { class: 'channel', id: 'channel-' + key, 'data-channel': key }, [
      el('h3', {}, [key, el('span', { class: 'access' + (open ? '' : ' protected') }, [accessText])]),
      el('p', {}, ['WS ', el('span', { class: 'address' }, [channel.address]), ' · SSE GET ', el('span', { class: 'address' }, [channel.address]), ' · multiplexed over ', el('span', { class: 'address' }, ['/channels'])]),
    ])
    if (channel.summary) section.appendChild(el('p', {}, [channel.summary]))
    if (channel.description) section.appendChild(el('p', { class: 'description' }, [channel.description]))
    var by = channel['x-servey-publishers'] || []
    if (by.length > 0) {
      section.appendChild(el('p', { class: 'publishers' }, ['Published by: ' + by.map(function (entry) {
        return entry.action + (entry.http ? ' (' + entry.http.method + ' ' + entry.http.path + ')' : '')
      }).join(', ')]))
    }
    if (event && event.payload) {
      section.appendChild(el('h4', {}, ['Event payload (in the envelope {channel, id, event})']))
      section.appendChild(el('pre', { class: 'schema' }, [pretty(event.payload.properties ? event.payload.properties.event : event.payload)]))
    }
    ;(event && event.examples || []).forEach(function (example) {
      section.appendChild(el('h4', {}, ['Example: ' + example.name + (example.summary ? ' (' + example.summary + ')' : '')]))
      section.appendChild(el('pre', { class: 'example' }, [pretty(example.payload)]))
    })
    return section
  }
  function renderFrames() {
    var target = document.getElementById('frames-reference')
    var messages = (doc.components && doc.components.messages) || {}
    Object.keys(messages).filter(function (key) { return key.indexOf('frame.') === 0 }).forEach(function (key) {
      var message = messages[key]
      var node = el('article', { class: 'frame' }, [el('h3', {}, [message.name]), el('p', {}, [message.summary || ''])])
      if (message.description) node.appendChild(el('p', {}, [message.description]))
      ;(message.examples || []).slice(0, 1).forEach(function (example) {
        node.appendChild(el('pre', {}, [JSON.stringify(example.payload)]))
      })
      target.appendChild(node)
    })
  }
  function log(text, kind) {
    var item = el('li', { class: kind }, [text])
    document.getElementById('frames').appendChild(item)
  }
  function setStatus(text) { document.getElementById('status').textContent = text }
  function connected(yes) {
    document.getElementById('connect').disabled = yes
    document.getElementById('disconnect').disabled = !yes
  }
  function connect(event) {
    event.preventDefault()
    if (socket) socket.close()
    var key = document.getElementById('channel').value
    var token = document.getElementById('token').value.trim()
    var since = document.getElementById('since').value.trim()
    var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://'
    var url = scheme + location.host + doc.channels[key].address + (since ? '?since=' + encodeURIComponent(since) : '')
    document.getElementById('frames').textContent = ''
    setStatus('Connecting to ' + url)
    socket = token ? new WebSocket(url, ['bearer', token]) : new WebSocket(url)
    var current = socket
    connected(true)
    socket.onopen = function () { if (current === socket) setStatus('Connected to ' + url) }
    socket.onmessage = function (message) {
      var kind = 'event'
      try {
        var frame = JSON.parse(message.data)
        kind = frame.type === 'error' ? 'error' : frame.type ? 'control' : 'event'
      } catch (error) { kind = 'error' }
      log(message.data, kind)
    }
    socket.onclose = function (close) {
      log('closed ' + close.code + (close.reason ? ' ' + close.reason : ''), 'closed')
      if (current === socket) {
        setStatus('Closed (' + close.code + (close.reason ? ' ' + close.reason : '') + ')')
        connected(false)
        socket = null
      }
    }
  }
  function publishers(key) {
    return (doc.channels[key]['x-servey-publishers'] || []).filter(function (entry) { return entry.http })
  }
  function setPublishStatus(text, kind) {
    var node = document.getElementById('publish-status')
    node.textContent = text
    node.className = kind || ''
  }
  function choosePublisher() {
    var key = document.getElementById('channel').value
    var entry = publishers(key)[document.getElementById('publisher').selectedIndex]
    document.getElementById('publish-params').value = entry ? pretty(entry.exampleParams || {}) : ''
  }
  function showPublishers() {
    var key = document.getElementById('channel').value
    var select = document.getElementById('publisher')
    var list = key ? publishers(key) : []
    select.textContent = ''
    list.forEach(function (entry, index) {
      select.appendChild(el('option', { value: String(index) }, [entry.action + ' (' + entry.http.method + ' ' + entry.http.path + ')']))
    })
    select.disabled = list.length === 0
    document.getElementById('publish').disabled = list.length === 0
    document.getElementById('publish-params').disabled = list.length === 0
    setPublishStatus(list.length === 0 && key ? 'No action with a web trigger declares publishes: [' + key + ']' : '')
    choosePublisher()
  }
  // The route as the document gives it: :name segments are filled from the params.
  function routeUrl(http, params) {
    var path = http.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, function (_, name) {
      return encodeURIComponent(params[name] === undefined ? '' : String(params[name]))
    })
    if (http.input !== 'query') return path
    var query = new URLSearchParams()
    Object.keys(params).forEach(function (name) {
      var value = params[name]
      ;(Array.isArray(value) ? value : [value]).forEach(function (item) {
        query.append(name, typeof item === 'object' ? JSON.stringify(item) : String(item))
      })
    })
    var text = query.toString()
    return text ? path + '?' + text : path
  }
  function publish(event) {
    event.preventDefault()
    var key = document.getElementById('channel').value
    var entry = publishers(key)[document.getElementById('publisher').selectedIndex]
    if (!entry) return
    var params
    try {
      params = JSON.parse(document.getElementById('publish-params').value || '{}')
    } catch (error) {
      setPublishStatus('The params are not JSON: ' + error.message, 'error')
      return
    }
    if (params === null || typeof params !== 'object' || Array.isArray(params)) {
      setPublishStatus('The params must be a JSON object', 'error')
      return
    }
    var token = document.getElementById('token').value.trim()
    var headers = { accept: 'application/json' }
    if (token) headers.authorization = 'Bearer ' + token
    var init = { method: entry.http.method, headers: headers }
    if (entry.http.input === 'body') {
      headers['content-type'] = 'application/json'
      init.body = JSON.stringify(params)
    }
    var label = entry.http.method + ' ' + entry.http.path
    setPublishStatus(label + ' ...')
    fetch(routeUrl(entry.http, params), init).then(function (response) {
      return response.text().then(function (text) {
        setPublishStatus(label + ' → ' + response.status + ' ' + text, response.ok ? 'ok' : 'error')
      })
    }).catch(function (error) { setPublishStatus(label + ' failed: ' + error, 'error') })
  }
  function start() {
    fetch('/asyncapi.json').then(function (response) { return response.json() }).then(function (loaded) {
      doc = loaded
      document.getElementById('title').textContent = doc.info.title + ': event channels'
      document.getElementById('version').textContent = 'Version ' + doc.info.version
      document.getElementById('description').textContent = doc.info.description || ''
      document.title = doc.info.title + ': event channels'
      var select = document.getElementById('channel')
      var list = document.getElementById('channels')
      var keys = channelKeys()
      if (keys.length === 0) list.appendChild(el('p', {}, ['This app declares no channels.']))
      keys.forEach(function (key) {
        select.appendChild(el('option', { value: key }, [key]))
        list.appendChild(renderChannel(key))
      })
      renderFrames()
      showPublishers()
      select.addEventListener('change', showPublishers)
      document.getElementById('publisher').addEventListener('change', choosePublisher)
      document.getElementById('publish-form').addEventListener('submit', publish)
      document.getElementById('connect-form').addEventListener('submit', connect)
      document.getElementById('disconnect').addEventListener('click', function () { if (socket) socket.close() })
      document.body.setAttribute('data-ready', 'true')
    }).catch(function (error) { setStatus('Could not load /asyncapi.json: ' + error) })
  }
  start()
})()
`
