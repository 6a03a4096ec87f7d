//! Pan and zoom for the catalogue's map. The server draws the whole region
//! with the sites grouped, so the page works without JavaScript, and the
//! list beside it is the map's accessible equivalent. Awake, this island
//! adds buttons to zoom in, out and back to the whole region (also the + and
//! - keys and the arrows while the focus is on the map, dragging, Ctrl and
//! the wheel), asks the server for the sites grouped more finely at each zoom
//! and view, and names the site under the pointer with a link to its page.
//! Until it wakes its controls stay hidden: buttons that do nothing are
//! never shown.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The map the island drives and the words of its controls.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapZoomView {
    /// The map's figure id: its `svg` and its marks' group (`{id}-marks`).
    pub map_id: String,
    pub width: f64,
    pub height: f64,
    /// Where the marks for a zoom and a view are asked: the list's filters
    /// already in its query.
    pub source: String,
    pub zoom_in: String,
    pub zoom_out: String,
    pub reset: String,
    /// The controls' group name.
    pub controls: String,
    /// "Zoom {z}×", said when it changes.
    pub status: String,
}

/// Zoom levels, as the server groups them.
pub const MAX_ZOOM: u32 = 16;

/// The part of the map shown at `zoom` around `centre`, kept inside it:
/// (x, y, width, height) in the map's units.
pub fn view_box(width: f64, height: f64, zoom: u32, centre: (f64, f64)) -> (f64, f64, f64, f64) {
    let (w, h) = (width / zoom as f64, height / zoom as f64);
    let x = (centre.0 - w / 2.0).clamp(0.0, width - w);
    let y = (centre.1 - h / 2.0).clamp(0.0, height - h);
    (x, y, w, h)
}

/// `centre` moved so that the view at `zoom` stays inside the map.
pub fn inside(width: f64, height: f64, zoom: u32, centre: (f64, f64)) -> (f64, f64) {
    let (x, y, w, h) = view_box(width, height, zoom, centre);
    (x + w / 2.0, y + h / 2.0)
}

#[island]
pub fn MapZoom(map: MapZoomView) -> impl IntoView {
    let (awake, set_awake) = signal(false);
    let (zoom, set_zoom) = signal(1u32);
    let (centre, set_centre) = signal((map.width / 2.0, map.height / 2.0));
    // The site under the pointer: (title, address).
    let (card, set_card) = signal(None::<(String, String)>);
    Effect::new(move |_| set_awake.set(true));
    #[cfg(feature = "hydrate")]
    browser::wire(&map, (zoom, set_zoom), (centre, set_centre), set_card);
    #[cfg(not(feature = "hydrate"))]
    let _ = (centre, set_centre, set_card);
    let (width, height) = (map.width, map.height);
    let status = map.status.clone();
    view! {
        <div class="map-zoom" role="group" aria-label=map.controls.clone() hidden=move || !awake.get()>
            <button type="button" class="btn btn-outline-primary btn-sm"
                aria-disabled=move || { (zoom.get() >= MAX_ZOOM).to_string() }
                on:click=move |_| set_zoom.update(|z| *z = (*z * 2).min(MAX_ZOOM))>
                {map.zoom_in.clone()}
            </button>
            <button type="button" class="btn btn-outline-primary btn-sm"
                aria-disabled=move || { (zoom.get() <= 1).to_string() }
                on:click=move |_| set_zoom.update(|z| *z = (*z / 2).max(1))>
                {map.zoom_out.clone()}
            </button>
            <button type="button" class="btn btn-outline-primary btn-sm"
                on:click=move |_| {
                    set_zoom.set(1);
                    set_centre.set((width / 2.0, height / 2.0));
                }>
                {map.reset.clone()}
            </button>
            <span class="map-zoom-status" aria-live="polite">
                {move || status.replace("{z}", &zoom.get().to_string())}
            </span>
        </div>
        <p class="map-card small" hidden=move || card.get().is_none()>
            {move || card.get().map(|(title, href)| view! { <a href=href>{title}</a> })}
        </p>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{inside, view_box, MapZoomView, MAX_ZOOM};
    use leptos::prelude::*;
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    type Pair<T> = (ReadSignal<T>, WriteSignal<T>);

    /// Ties the signals to the map drawn by the server: the view box of
    /// the `svg` shown, a new `svg` from the server when the view settles,
    /// the pointer and the keys (listened for on the frame, which outlives
    /// every `svg` put in it).
    pub fn wire(
        map: &MapZoomView,
        (zoom, set_zoom): Pair<u32>,
        (centre, set_centre): Pair<(f64, f64)>,
        set_card: WriteSignal<Option<(String, String)>>,
    ) {
        let document = web_sys::window().and_then(|w| w.document());
        let Some(document) = document else { return };
        let figure = document.get_element_by_id(&map.map_id);
        let frame = figure
            .as_ref()
            .and_then(|f| f.query_selector(".map-frame").ok().flatten());
        let (Some(figure), Some(frame)) = (figure, frame) else {
            return;
        };
        let (width, height) = (map.width, map.height);
        // While the view moves, the svg shown moves with it.
        let shown = frame.clone();
        Effect::new(move |_| {
            let (x, y, w, h) = view_box(width, height, zoom.get(), centre.get());
            if let Ok(Some(svg)) = shown.query_selector("svg") {
                let _ = svg.set_attribute("viewBox", &format!("{x:.1} {y:.1} {w:.1} {h:.1}"));
            }
        });
        // Once it settles (after a drag, not during it), the server draws it.
        let (settled, set_settled) = signal(centre.get_untracked());
        let source = map.source.clone();
        let asked = Rc::new(Cell::new(0u32));
        let target = frame.clone();
        Effect::new(move |first: Option<()>| {
            // The view settles when a drag or a key moves it; a zoom (or a
            // reset) takes the centre as it is now.
            settled.track();
            let (z, (cx, cy)) = (zoom.get(), centre.get_untracked());
            // The page already shows the whole map.
            if first.is_none() && z == 1 {
                return;
            }
            let n = asked.get() + 1;
            asked.set(n);
            let separator = if source.contains('?') { '&' } else { '?' };
            let url = format!("{source}{separator}zoom={z}&cx={cx:.1}&cy={cy:.1}");
            let (asked, target) = (asked.clone(), target.clone());
            leptos::task::spawn_local(async move {
                let Some(svg) = fetch(&url).await else { return };
                if asked.get() != n {
                    return; // a newer view was asked meanwhile
                }
                let focused = focused_province();
                target.set_inner_html(&svg);
                // The view as it is now (a drag may have gone on meanwhile).
                let (z, c) = (zoom.get_untracked(), centre.get_untracked());
                let (x, y, w, h) = view_box(width, height, z, c);
                if let Ok(Some(svg)) = target.query_selector("svg") {
                    let _ = svg.set_attribute("viewBox", &format!("{x:.1} {y:.1} {w:.1} {h:.1}"));
                }
                // The keyboard stays on the same province, if it is still in view.
                let selector = focused.map(|code| format!("a:has(path[data-province=\"{code}\"])"));
                if let Some(Ok(Some(link))) = selector.map(|s| target.query_selector(&s)) {
                    let _ = link.unchecked_into::<web_sys::SvgElement>().focus();
                }
            });
        });
        let keep = move |c: (f64, f64)| inside(width, height, zoom.get_untracked(), c);
        pointer(&frame, width, keep, zoom, centre, (set_centre, set_settled));
        wheel_and_keys(
            &figure,
            &frame,
            (zoom, set_zoom),
            (centre, keep),
            (set_centre, set_settled),
        );
        hover(&frame, set_card);
    }

    /// The province whose link has the keyboard's focus, if any.
    fn focused_province() -> Option<String> {
        let active = web_sys::window()?.document()?.active_element()?;
        let path = active.query_selector("path[data-province]").ok()??;
        let code = path.get_attribute("data-province")?;
        // Province codes are capital letters: safe in a selector.
        code.bytes().all(|b| b.is_ascii_uppercase()).then_some(code)
    }

    async fn fetch(url: &str) -> Option<String> {
        use wasm_bindgen_futures::JsFuture;
        let window = web_sys::window()?;
        let response = JsFuture::from(window.fetch_with_str(url)).await.ok()?;
        let response: web_sys::Response = response.dyn_into().ok()?;
        if !response.ok() {
            return None;
        }
        JsFuture::from(response.text().ok()?)
            .await
            .ok()?
            .as_string()
    }

    /// Dragging moves the view; a drag is not a click on the province under it.
    fn pointer(
        frame: &web_sys::Element,
        width: f64,
        keep: impl Fn((f64, f64)) -> (f64, f64) + Copy + 'static,
        zoom: ReadSignal<u32>,
        centre: ReadSignal<(f64, f64)>,
        (set_centre, set_settled): (WriteSignal<(f64, f64)>, WriteSignal<(f64, f64)>),
    ) {
        let start: Rc<Cell<Option<(f64, f64, (f64, f64))>>> = Rc::default();
        let moved = Rc::new(Cell::new(false));
        let (s, el) = (start.clone(), frame.clone());
        let m = moved.clone();
        listen(frame, "pointerdown", move |e: web_sys::PointerEvent| {
            m.set(false);
            if zoom.get_untracked() > 1 {
                let (x, y) = (e.client_x() as f64, e.client_y() as f64);
                s.set(Some((x, y, centre.get_untracked())));
                let _ = el.set_attribute("data-dragging", "");
                // The drag goes on when the pointer leaves the map.
                let _ = el.set_pointer_capture(e.pointer_id());
            }
        });
        let (s, m, el) = (start.clone(), moved.clone(), frame.clone());
        listen(frame, "pointermove", move |e: web_sys::PointerEvent| {
            let Some((x0, y0, (cx, cy))) = s.get() else {
                return;
            };
            let (dx, dy) = (e.client_x() as f64 - x0, e.client_y() as f64 - y0);
            if dx.abs() + dy.abs() > 4.0 {
                m.set(true);
            }
            // Screen pixels to map units at this zoom.
            let per = width / zoom.get_untracked() as f64 / el.client_width().max(1) as f64;
            set_centre.set(keep((cx - dx * per, cy - dy * per)));
        });
        for name in ["pointerup", "pointercancel"] {
            let (s, el) = (start.clone(), frame.clone());
            listen(frame, name, move |_: web_sys::PointerEvent| {
                if s.take().is_some() {
                    let _ = el.remove_attribute("data-dragging");
                    set_settled.set(centre.get_untracked());
                }
            });
        }
        let m = moved.clone();
        listen_capture(frame, "click", move |e: web_sys::MouseEvent| {
            if m.replace(false) {
                e.prevent_default();
                e.stop_propagation();
            }
        });
    }

    /// Ctrl and the wheel zoom (the wheel alone scrolls the page, as
    /// everywhere else on it); + and - zoom and the arrows pan while the
    /// focus is on the map (on a province).
    fn wheel_and_keys(
        figure: &web_sys::Element,
        frame: &web_sys::Element,
        (zoom, set_zoom): Pair<u32>,
        (centre, keep): (
            ReadSignal<(f64, f64)>,
            impl Fn((f64, f64)) -> (f64, f64) + 'static,
        ),
        (set_centre, set_settled): (WriteSignal<(f64, f64)>, WriteSignal<(f64, f64)>),
    ) {
        listen(frame, "wheel", move |e: web_sys::WheelEvent| {
            if !(e.ctrl_key() || e.meta_key()) {
                return;
            }
            e.prevent_default();
            set_zoom.update(|z| {
                *z = match e.delta_y() < 0.0 {
                    true => (*z * 2).min(MAX_ZOOM),
                    false => (*z / 2).max(1),
                }
            });
        });
        let step = 40.0;
        listen(figure, "keydown", move |e: web_sys::KeyboardEvent| {
            // The browser's own shortcuts (Ctrl and +, Alt and an arrow) stay its own.
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let z = zoom.get_untracked() as f64;
            let (cx, cy) = centre.get_untracked();
            let moved = match e.key().as_str() {
                "+" | "=" => {
                    set_zoom.update(|z| *z = (*z * 2).min(MAX_ZOOM));
                    None
                }
                "-" => {
                    set_zoom.update(|z| *z = (*z / 2).max(1));
                    None
                }
                // The whole map does not pan: the arrows scroll the page.
                _ if z <= 1.0 => return,
                "ArrowLeft" => Some((cx - step / z, cy)),
                "ArrowRight" => Some((cx + step / z, cy)),
                "ArrowUp" => Some((cx, cy - step / z)),
                "ArrowDown" => Some((cx, cy + step / z)),
                _ => return,
            };
            e.prevent_default();
            if let Some(c) = moved.map(&keep).filter(|c| *c != (cx, cy)) {
                set_centre.set(c);
                set_settled.set(c);
            }
        });
    }

    /// The site under the pointer, named with a link to its page (the
    /// server put both on its mark).
    fn hover(frame: &web_sys::Element, set_card: WriteSignal<Option<(String, String)>>) {
        listen(frame, "pointerover", move |e: web_sys::PointerEvent| {
            let target = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            let site = target.and_then(|t| {
                Some((
                    t.get_attribute("data-title")?,
                    t.get_attribute("data-href")?,
                ))
            });
            if site.is_some() {
                set_card.set(site);
            }
        });
    }

    fn listen<E: wasm_bindgen::convert::FromWasmAbi + 'static>(
        target: &web_sys::Element,
        name: &str,
        f: impl FnMut(E) + 'static,
    ) {
        let f = Closure::<dyn FnMut(E)>::new(f);
        let _ = target.add_event_listener_with_callback(name, f.as_ref().unchecked_ref());
        // Lives as long as the page.
        f.forget();
    }

    fn listen_capture<E: wasm_bindgen::convert::FromWasmAbi + 'static>(
        target: &web_sys::Element,
        name: &str,
        f: impl FnMut(E) + 'static,
    ) {
        let f = Closure::<dyn FnMut(E)>::new(f);
        let _ = target.add_event_listener_with_callback_and_bool(
            name,
            f.as_ref().unchecked_ref(),
            true,
        );
        f.forget();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_stays_inside_the_map() {
        assert_eq!(
            view_box(600.0, 500.0, 1, (300.0, 250.0)),
            (0.0, 0.0, 600.0, 500.0)
        );
        assert_eq!(
            view_box(600.0, 500.0, 2, (0.0, 0.0)),
            (0.0, 0.0, 300.0, 250.0)
        );
        assert_eq!(
            view_box(600.0, 500.0, 4, (600.0, 500.0)),
            (450.0, 375.0, 150.0, 125.0)
        );
    }
}
