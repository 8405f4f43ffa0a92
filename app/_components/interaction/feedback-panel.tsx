import {
  Copy,
  Flag,
  MessageSquare,
  Pencil,
  RefreshCw,
  Share2,
  Star,
  Tag,
  ThumbsDown,
  ThumbsUp,
  type LucideIcon,
} from "lucide-react";
import { Badge } from "@/app/_components/badge";
import { feedbackActionKey, feedbackActionLabel } from "@/lib/render/feedback-actions";
import type { FeedbackView } from "@/lib/render/interaction-view";
import { Section } from "./section";

const ICONS: Record<string, LucideIcon> = {
  thumbs_up: ThumbsUp,
  thumbsup: ThumbsUp,
  like: ThumbsUp,
  thumbs_down: ThumbsDown,
  thumbsdown: ThumbsDown,
  dislike: ThumbsDown,
  copy: Copy,
  copy_output: Copy,
  regenerate: RefreshCw,
  retry: RefreshCw,
  comment: MessageSquare,
  share: Share2,
  edit: Pencil,
  report: Flag,
  rating: Star,
};

function actionOf(name: string) {
  return { icon: ICONS[feedbackActionKey(name)] ?? Tag, label: feedbackActionLabel(name) };
}

export function FeedbackPanel({ feedback }: { feedback: FeedbackView }) {
  return (
    <Section id="feedback" title="Feedback">
      {feedback.isEmpty ? (
        <p className="text-sm text-muted">The user gave no feedback on this interaction.</p>
      ) : (
        <div className="space-y-3 text-sm">
          {feedback.type ? (
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone={feedback.type.polarity === "negative" ? "negative" : feedback.type.polarity === "positive" ? "positive" : "neutral"}>
                {feedback.type.raw.replace(/_/g, " ")}
              </Badge>
              <span className="text-muted">{feedback.type.description}</span>
            </div>
          ) : null}
          {feedback.actions.length ? (
            <ul className="flex flex-wrap gap-2" aria-label="Feedback actions">
              {feedback.actions.map((name, index) => {
                const { icon: Icon, label } = actionOf(name);
                return (
                  <li key={`${name}-${index}`} className="inline-flex items-center gap-1.5 rounded-md border border-line bg-sunken px-2 py-1">
                    <Icon aria-hidden="true" className="size-4" />
                    {label}
                  </li>
                );
              })}
            </ul>
          ) : null}
          {feedback.rating ? (
            <p>
              <span className="text-muted">Rating: </span>
              <strong className="text-lg">{feedback.rating.value}</strong>
              <span className="text-muted"> / {feedback.rating.scale}</span>
            </p>
          ) : null}
          {feedback.comments.map((comment, index) => (
            <blockquote key={index} className="border-l-4 border-accent pl-3 italic">
              “{comment}”
            </blockquote>
          ))}
          {feedback.turn ? (
            <p className="text-muted">
              On <a href={`#turn-${feedback.turn}`} className="text-accent underline">turn {feedback.turn}</a>.
            </p>
          ) : null}
        </div>
      )}
    </Section>
  );
}
