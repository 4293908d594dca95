"""The scoped base viewset every app's API builds on."""

from rest_framework import exceptions, viewsets


class ScopedModelViewSet(viewsets.ModelViewSet):
    """A ModelViewSet whose queryset always starts from `selector(user)` and whose writes go
    through services. Subclasses set `selector`, `create_service` (called as `service(actor=, data=)`)
    and `update_service` (called as `service(actor=, data=, <object_name>=instance)`, so a service such as
    `update_department(*, actor, department, data)` is named directly); an object outside the caller's
    scope is simply not found (404). `update_check(instance, actor=)`,
    when set, refuses (PermissionDenied) a caller who may not change the object before its body is
    read, so the answer is 403 whatever was sent."""

    selector = None
    create_service = None
    update_service = None
    update_check = None
    object_name = "instance"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        if self.selector is None:
            raise NotImplementedError(f"{type(self).__name__} must set `selector`.")
        return type(self).selector(self.request.user)

    def get_object(self):
        obj = super().get_object()
        if self.action in ("update", "partial_update") and type(self).update_check is not None:
            type(self).update_check(obj, actor=self.request.user)
        return obj

    def perform_create(self, serializer):
        if self.create_service is None:
            raise exceptions.MethodNotAllowed("POST")
        created = type(self).create_service(actor=self.request.user, data=serializer.validated_data)
        serializer.instance = self.reload(created)

    def perform_update(self, serializer):
        if self.update_service is None:
            raise exceptions.MethodNotAllowed(self.request.method)
        target = {self.object_name: serializer.instance}
        updated = type(self).update_service(actor=self.request.user, data=serializer.validated_data, **target)
        serializer.instance = self.reload(updated)

    def reload(self, obj):
        """The row as the selector shapes it (annotations, related rows), to answer a write with."""
        return self.get_queryset().filter(pk=obj.pk).first() or obj
