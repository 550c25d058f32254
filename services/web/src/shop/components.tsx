import type { Child } from 'hono/jsx';
import { Money, Stars } from '../ui.tsx';
import type { Availability, ListItem } from './types.ts';

/** A product in a grid: the link's text is the name, so the picture is decorative (alt=""). */
export function ProductCard(props: { item: ListItem; headingLevel?: 2 | 3 }) {
  const { item } = props;
  return (
    <li class="card product-card">
      <a href={`/p/${encodeURIComponent(item.slug)}`}>
        {item.image ? (
          <img src={item.image} alt="" width={400} height={400} loading="lazy" decoding="async" />
        ) : (
          <span class="img-placeholder" aria-hidden="true" />
        )}
        <span class="card-title">{item.name}</span>
      </a>
      {item.brand ? <span class="muted">{item.brand}</span> : null}
      {item.price ? <Money value={item.price} /> : <span class="muted">Price on request</span>}
      <Stars average={item.rating.average} count={item.rating.count} />
      {item.inStock === false ? <span class="stock-out">Out of stock</span> : null}
    </li>
  );
}

export function ProductGrid(props: { items: readonly ListItem[]; label?: string }) {
  return (
    <ul class="grid product-grid" aria-label={props.label}>
      {props.items.map((item) => (
        <ProductCard item={item} />
      ))}
    </ul>
  );
}

export function Breadcrumbs(props: { trail: readonly { name: string; href?: string }[] }) {
  return (
    <nav class="breadcrumbs" aria-label="Breadcrumb">
      <ol>
        <li>
          <a href="/">Home</a>
        </li>
        {props.trail.map((t, i) => (
          <li>
            {t.href && i < props.trail.length - 1 ? (
              <a href={t.href}>{t.name}</a>
            ) : (
              <span aria-current={i === props.trail.length - 1 ? 'page' : undefined}>{t.name}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** "In stock", "Only 3 left", "Out of stock" (or unknown when inventory did not answer). */
export function StockState(props: { availability: Availability | undefined; known: boolean }) {
  if (!props.known) return <span class="muted">Stock information is not available right now.</span>;
  const n = props.availability?.available ?? 0;
  if (n <= 0) return <span class="stock-out">Out of stock</span>;
  if (n <= 5) return <span class="stock-low">Only {n} left</span>;
  return <span class="stock-in">In stock</span>;
}

/** Per location: the stores that offer pickup, and whether the warehouses can ship it. */
export function PickupList(props: { availability: Availability | undefined }) {
  const locations = props.availability?.locations ?? [];
  const stores = locations.filter((l) => l.kind === 'store' && l.pickupEnabled);
  const shipping = locations.filter((l) => l.kind === 'warehouse').reduce((n, l) => n + l.available, 0);
  return (
    <div class="pickup">
      <p>
        {shipping > 0 ? (
          <span class="stock-in">Ships from our warehouse</span>
        ) : (
          <span class="muted">Not in our warehouses right now</span>
        )}
      </p>
      {stores.length > 0 ? (
        <>
          <h3 class="pickup-title">Pick up in store</h3>
          <ul class="pickup-stores">
            {stores.map((s) => (
              <li>
                <strong>{s.name}</strong>:{' '}
                {s.available > 0 ? (
                  <span class="stock-in">
                    {s.available > 5 ? 'available for pickup' : `${s.available} available for pickup`}
                  </span>
                ) : (
                  <span class="muted">not available at this store</span>
                )}
              </li>
            ))}
          </ul>
          <p class="muted small">Choose "Pick up in store" as the delivery option in your cart.</p>
        </>
      ) : null}
    </div>
  );
}

export function Section(props: { title: string; id?: string; children?: Child; class?: string }) {
  const id = props.id ?? `s-${props.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section aria-labelledby={id} class={props.class}>
      <h2 id={id}>{props.title}</h2>
      {props.children}
    </section>
  );
}
