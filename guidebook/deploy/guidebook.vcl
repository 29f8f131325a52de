vcl 4.1;

# Guidebook's front cache: Varnish in front of the application servers.
#
# Public pages are the same for every visitor between two publications, so one copy
# can answer them all. Django decides what may be kept: only responses that say
# `Cache-Control: s-maxage=...` (guidebook/public/caching.py sends it when
# GUIDEBOOK_FRONT_CACHES is set). Every publication sends this cache a BAN request
# (guidebook/catalogue/front_caches.py) and every page it holds is retired at once.
# See docs/caching.md ("The front cache"); `guidebook front-cache` runs it.

# The application server (gunicorn, `guidebook serve`). Change it to match yours, or
# let `guidebook front-cache --backend HOST:PORT` write a copy that does.
backend guidebook {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may clear the cache: the application servers that publish, and only through
# the listener named "ban" (varnishd -a ban=127.0.0.1:6082), which nothing public
# reaches. A proxy in front on the same machine connects from 127.0.0.1 too, so the
# address alone would let anyone on the internet clear the cache through it.
acl publishers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    # Headers this configuration uses between its own steps are never taken from a
    # client: a cookie smuggled in one must not reach the application.
    unset req.http.X-Guidebook-Cookie;
    unset req.http.X-Guidebook-Front;
    if (req.method == "BAN") {
        if (local.socket != "ban" || client.ip !~ publishers) {
            return (synth(403, "Only the application servers may clear this cache"));
        }
        # Every kept page, whatever its address: a publication can change any list.
        ban("obj.status != 0");
        return (synth(200, "Cleared"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # Signed-in staff, visitors with a shortlist, a message waiting or a chosen
    # language see pages of their own: the session, messages and language cookies.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages|django_language)=") {
        set req.http.X-Guidebook-Front = "pass";
        return (pass);
    }
    # Other cookies (Django's CSRF cookie, say) change no page that may be kept, so
    # they are left out of the lookup; the application still receives them.
    if (req.http.Cookie) {
        set req.http.X-Guidebook-Cookie = req.http.Cookie;
        unset req.http.Cookie;
    }
    return (hash);
}

sub vcl_backend_fetch {
    if (bereq.http.X-Guidebook-Cookie) {
        set bereq.http.Cookie = bereq.http.X-Guidebook-Cookie;
        unset bereq.http.X-Guidebook-Cookie;
    }
}

sub vcl_backend_response {
    # Keep only what the application marked for shared caches, and never a response
    # that sets a cookie. The rest is fetched afresh for each request that asks.
    if (beresp.http.Cache-Control !~ "s-maxage" || beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # While a page is being fetched again after it expired, serve the old copy for
    # a few seconds rather than make visitors wait. A ban removes it outright.
    set beresp.grace = 10s;
    return (deliver);
}

sub vcl_deliver {
    if (req.http.X-Guidebook-Front == "pass") {
        set resp.http.X-Front-Cache = "pass";
    } elsif (obj.hits > 0) {
        set resp.http.X-Front-Cache = "hit";
    } else {
        set resp.http.X-Front-Cache = "miss";
    }
}
