/** A CRD of a made-up group (example.com/v1 Widget) for tests of workspace CRDs in completion and hover. */
export const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names:
    kind: Widget
    plural: widgets
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                replicas:
                  type: integer
                  description: How many widget pods run.
                tier:
                  type: string
                  enum: [gold, silver]
                  description: The service tier of the widgets.
`;
