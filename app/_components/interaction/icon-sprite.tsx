import { Bot, Link2, MessageSquareHeart, User } from "lucide-react";

/**
 * Icons repeated on every turn are drawn once here and referenced with <use>, which keeps a
 * 3,000-turn page several megabytes lighter than inlining each SVG.
 */
const SPRITE = { user: User, bot: Bot, link: Link2, feedback: MessageSquareHeart } as const;

export function IconSprite() {
  return (
    <svg aria-hidden="true" className="hidden">
      {Object.entries(SPRITE).map(([name, Icon]) => (
        <symbol key={name} id={`icon-${name}`} viewBox="0 0 24 24">
          <Icon />
        </symbol>
      ))}
    </svg>
  );
}
